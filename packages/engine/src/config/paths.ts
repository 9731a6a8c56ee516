import { isAbsolute, resolve } from 'node:path';

/** Resolves a path from a config against the config's folder. */
export const resolveConfigPath = (baseDir: string, path: string): string =>
  isAbsolute(path) ? path : resolve(baseDir, path);
