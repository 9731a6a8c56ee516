// A TypeDoc plugin (typedoc.config.mjs): a package with several entry points has no module comment of its own,
// so the Modules page listed it with no summary; it gets its package.json `description`.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Comment, ReflectionKind } from 'typedoc';

/** @param {import('typedoc').Application} app */
export const load = (app) => {
  app.on('reviveProject', (project) => {
    const descriptions = new Map();
    for (const folder of readdirSync('packages')) {
      const json = JSON.parse(readFileSync(join('packages', folder, 'package.json'), 'utf8'));
      if (typeof json.description === 'string') descriptions.set(json.name, json.description);
    }
    for (const module of project.getChildrenByKind(ReflectionKind.Module)) {
      const description = descriptions.get(module.name);
      if (module.comment === undefined && description !== undefined)
        module.comment = new Comment([{ kind: 'text', text: description }]);
    }
  });
};
