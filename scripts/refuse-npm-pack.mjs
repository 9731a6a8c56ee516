// The `prepack` of every published package: refuses `npm pack` and `npm publish` in a package's folder. The
// packages depend on each other as `workspace:*`, which pnpm rewrites to versions when it packs; npm
// copies the range as it is, and its tarball cannot be installed (EUNSUPPORTEDPROTOCOL workspace:*).
// Any other client (pnpm, or no npm_config_user_agent: the script run by hand) passes.
const agent = process.env.npm_config_user_agent ?? '';
if (!agent.startsWith('pnpm/') && /^(npm|yarn|bun)\//.test(agent)) {
  const client = agent.split('/')[0];
  process.stderr.write(
    `This package depends on the other Parzen packages as \`workspace:*\`, which ${client} would copy into the ` +
      'tarball as it is: the tarball could not be installed (EUNSUPPORTEDPROTOCOL). Pack with pnpm, which writes ' +
      "their versions: `npx --yes pnpm@12.4.2 pack` here, or from the repository's root " +
      "`npx --yes pnpm@12.4.2 -r --filter './packages/*' --filter '!@parzen/test-kit' pack --pack-destination ~/parzen-tarballs` " +
      '(docs/using-parzen-from-your-project.md).\n',
  );
  process.exit(1);
}
