let registration: Promise<void> | undefined;

/**
 * Lets plain `import()` load TypeScript files from now on (tsx's loader hooks, process-wide). The CLI
 * calls it when a config lists a `.ts` plugin, so plugin authors can point at their sources.
 */
export const registerTypeScript = (): Promise<void> => {
  registration ??= import('tsx/esm/api').then(({ register }) => {
    register();
  });
  return registration;
};
