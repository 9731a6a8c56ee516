import type { EngineEvent, Reporter } from '@parzen/engine';

/**
 * A custom reporter: one line per finished trial, a star on each new best, and a closing line from
 * `end()`. It only listens: the study hands it every event, and nothing it does steers the study.
 * `initialBest` is the best loss of a resumed study, so only real improvements get a star.
 */
export const createLineReporter = (
  write: (line: string) => void,
  initialBest?: number,
): Reporter & { readonly finished: number } => {
  let best = initialBest;
  let finished = 0;
  const format = (value: number) => value.toFixed(4);
  return {
    name: 'lines',
    get finished() {
      return finished;
    },
    onEvent: (event: EngineEvent) => {
      if (event.type !== 'trial.finished') return;
      finished++;
      const { trial, params: values } = event;
      if (trial.state !== 'complete') {
        write(`#${trial.number} ${trial.state}${trial.state === 'failed' ? `: ${trial.error.message}` : ''}`);
        return;
      }
      const improved = best === undefined || trial.loss < best;
      if (improved) best = trial.loss;
      const params = Object.entries(values)
        .map(([name, value]) => `${name}=${typeof value === 'number' ? Number(value.toPrecision(3)) : value}`)
        .join(' ');
      write(`#${trial.number} loss ${format(trial.loss)}${improved ? ' *' : '  '} ${params}`);
    },
    end: () => {
      write(
        `${finished} trial${finished === 1 ? '' : 's'} this run, best loss ${best === undefined ? 'none' : format(best)}`,
      );
    },
  };
};
