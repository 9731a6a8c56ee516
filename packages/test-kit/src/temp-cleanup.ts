/**
 * Vitest setup file of the whole suite: after each test file (its own afterAll hooks first), removes the
 * folders the file made with `tempFolder`, so that runs leave nothing behind in the system temp folder.
 */
import { afterAll } from 'vitest';
import { removeTempFolders } from './temp-dir.js';

afterAll(removeTempFolders);
