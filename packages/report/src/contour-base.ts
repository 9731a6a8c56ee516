import { bestTrial } from '@parzen/engine';
import {
  type CompiledSpace,
  type Direction,
  type ExternalParams,
  requiredChoices,
  sampleFromUnit,
  type Trial,
  toExternalParams,
  walkSpace,
} from '@parzen/engine/plugin';
import { sig } from './charts/common.js';

/**
 * What a pair's contour is evaluated with besides the pair's own two parameters: an assignment the
 * objective can receive, with both pair parameters active (`fixed`, and what the caption says of it), or
 * why there is none (the two parameters are never active together).
 */
export type ContourBase =
  | {
      /** There is such an assignment. */
      readonly possible: true;
      /** The params the function gets, the pair's two replaced at each grid point. */
      readonly fixed: ExternalParams;
      /** What the caption says of `fixed` (`other params at the best trial's values (#12)`); empty when nothing is. */
      readonly note: string;
    }
  | {
      /** There is none: the pair's parameters are never active together. */
      readonly possible: false;
      /** Why, for the caption (the choice whose options part them). */
      readonly reason: string;
    };

/** A value as a caption shows it: numbers to 4 significant digits, choice values as JSON (strings quoted). */
const shown = (value: unknown): string => (typeof value === 'number' ? String(sig(value, 4)) : JSON.stringify(value));

const listed = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

/**
 * The params a contour over `pair` holds fixed: the best complete trial's, changed only as far as the
 * pair needs. Every choice above a pair parameter is set to the option that makes it active (the best
 * trial's own option when it does), parameters inactive under those options are left out, and
 * parameters that become active take their value in the best complete trial that set them, else the
 * middle (median) of their distribution. Before any trial is complete every parameter starts at that
 * middle. So the function always receives what an objective can: the active parameters only, both pair
 * parameters among them. The note says which values were used, for the plot's caption.
 */
export const contourBase = (
  space: CompiledSpace,
  trials: readonly Trial[],
  direction: Direction,
  pair: readonly [string, string],
): ContourBase => {
  const best = bestTrial(trials, direction);
  const start = best?.internal ?? {};
  const found = requiredChoices(space, pair, start);
  if ('conflict' in found)
    return {
      possible: false,
      reason: `${pair[0]} and ${pair[1]} are never active together (they sit in different options of \`${found.conflict}\`)`,
    };
  const switched: string[] = [];
  const filled: string[] = [];
  const decided = walkSpace(space, (param) => {
    const name = param.name;
    const required = found.required[name];
    if (required !== undefined) {
      if (start[name] !== required) switched.push(`${name} = ${shown(param.optionValues?.[required] ?? required)}`);
      return required;
    }
    // The pair's own values come from the grid (and a numeric parameter activates nothing).
    if (pair.includes(name)) return undefined;
    const own = start[name];
    if (own !== undefined) return own;
    const source = bestTrial(
      trials.filter((trial) => trial.internal[name] !== undefined),
      direction,
    );
    const value = source?.internal[name] ?? sampleFromUnit(param.distribution, 0.5);
    if (best !== undefined) {
      const external = param.optionValues?.[value] ?? value;
      filled.push(
        source === undefined
          ? `${name} = ${shown(external)} (the middle of its distribution: no complete trial set it)`
          : `${name} = ${shown(external)} (as in #${source.number}, the best trial that set it)`,
      );
    }
    return value;
  });
  const fixed = toExternalParams(space, decided);
  const dropped = Object.keys(start).filter((name) => decided[name] === undefined && !pair.includes(name));
  // The pair parameters the switched options made active.
  const activated = pair.filter(
    (name) => start[name] === undefined && (space.byName.get(name)?.conditions.length ?? 0) > 0,
  );
  const changes = [
    switched.length === 0
      ? ''
      : `${listed(switched)} so that ${
          activated.length === 0
            ? `${pair[0]} and ${pair[1]} are active together`
            : `${listed(activated)} ${activated.length === 1 ? 'is' : 'are'} active`
        }`,
    dropped.length === 0 ? '' : `without ${listed(dropped)} (inactive then)`,
    filled.length === 0 ? '' : `with ${listed(filled)}`,
  ].filter((change) => change !== '');
  const note =
    best === undefined
      ? Object.keys(fixed).length === 0
        ? ''
        : ['no trial is complete yet: other params at the middle of their distributions', ...changes].join(', ')
      : Object.keys(fixed).length === 0 && changes.length === 0
        ? ''
        : `other params at the best trial’s values (#${best.number})${changes.length === 0 ? '' : `, but ${changes.join(', ')}`}`;
  return { possible: true, fixed, note };
};
