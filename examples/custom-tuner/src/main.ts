/**
 * The custom tuner's command line:
 *
 *   pnpm -F @parzen/example-custom-tuner start [--max-trials N] [--db PATH] [--patience N]
 *
 * The study lives in `logistic.parzen.db` beside this example (or `--db PATH`); run it again with a
 * larger `--max-trials` and it resumes. Ctrl-C stops asking; the running trial finishes and is stored.
 */
import { fileURLToPath } from 'node:url';
import { tune } from './tuner.js';

const flag = (name: string, fallback: string): string => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
};

const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
const result = await tune({
  db: flag('--db', fileURLToPath(new URL('../logistic.parzen.db', import.meta.url))),
  maxTrials: Number(flag('--max-trials', '40')),
  patience: Number(flag('--patience', '15')),
  signal: controller.signal,
});
process.exitCode = result.reason === 'interrupted' ? 130 : 0;
