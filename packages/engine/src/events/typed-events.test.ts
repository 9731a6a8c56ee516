// A typed study's events carry its space's params: `Study.open`'s `onEvent` and the `reporters` of `fmin` and
// `study.optimize` get `EngineEvent<ParamsOf<S>>`. The types are checked by `tsc -p tsconfig.test.json`
// (expectTypeOf and @ts-expect-error fail it when the typing breaks); the runtime side checks that the params the
// events carry are what the type says. `EngineEvent` without an argument, a reporter plugin's, is unchanged.
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Reporter } from '../contracts/reporter.js';
import type { Suggester } from '../contracts/suggester.js';
import type { ExternalParams } from '../domain/params.js';
import { sampleDistribution } from '../domain/sample-distribution.js';
import { choice, loguniform, option, type ParamsOf, randint, uniform } from '../domain/space-builder.js';
import type { SpaceDefinition } from '../domain/space-definition.js';
import { fmin } from '../fmin.js';
import { Study } from '../study.js';
import type { EngineEvent, EventOf, StudySummary } from './engine-event.js';

const prior: Suggester = {
  name: 'prior',
  beginTrial: (context) => ({ sampleParam: (param) => sampleDistribution(param.distribution, context.rng) }),
};

const space = { x: uniform(-2, 2), kind: choice(['a', 'b', 3]) };
const branches = {
  x: uniform(-2, 2),
  model: choice([option('tree', { depth: randint(1, 10) }), option('linear', { alpha: loguniform(1e-4, 1) })]),
};

describe('a typed study’s events', () => {
  it("type onEvent's params by the space: a uniform's as number, a choice's as its options, a typo refused", async () => {
    const xs: number[] = [];
    const kinds: ('a' | 'b' | 3)[] = [];
    const study = await Study.open({
      space,
      suggester: prior,
      seed: 1,
      onEvent: (event) => {
        if (event.type === 'trial.started') {
          expectTypeOf(event.params).toEqualTypeOf<ParamsOf<typeof space>>();
          // @ts-expect-error `nope` is no parameter of the space (it compiled: the params were any name)
          expect(event.params.nope).toBeUndefined();
        }
        if (event.type === 'trial.finished' && event.trial.state === 'complete') {
          const x: number = event.params.x; // TS2322 while the params were `ExternalParams`
          expectTypeOf(event.params.kind).toEqualTypeOf<'a' | 'b' | 3>();
          xs.push(x);
          kinds.push(event.params.kind);
        }
        if (event.type === 'study.improved') expectTypeOf(event.params.x).toEqualTypeOf<number>();
        if (event.type === 'study.finished')
          expectTypeOf(event.summary.bestParams).toEqualTypeOf<ParamsOf<typeof space> | undefined>();
      },
    });
    await study.optimize({ objective: ({ x }) => x ** 2, maxTrials: 5 });
    const trials = await study.trials();
    expect(xs).toEqual(trials.map((trial) => trial.params.x));
    expect(kinds).toEqual(trials.map((trial) => trial.params.kind));
  });

  it('narrow a choice of branches as the objective’s params do, in ask/tell too', async () => {
    const depths: number[] = [];
    const study = await Study.open({
      space: branches,
      suggester: prior,
      seed: 3,
      onEvent: (event) => {
        if (event.type !== 'trial.finished') return;
        expectTypeOf(event.params.depth).toEqualTypeOf<number | undefined>();
        if (event.params.model === 'tree') {
          expectTypeOf(event.params.depth).toEqualTypeOf<number>();
          depths.push(event.params.depth);
        }
      },
    });
    for (let n = 0; n < 8; n++) {
      const trial = await study.ask();
      await study.tell(trial.number, trial.params.x ** 2);
    }
    const trees = (await study.trials()).flatMap((trial) =>
      trial.params.model === 'tree' ? [trial.params.depth] : [],
    );
    expect(depths).toEqual(trees);
    expect(depths.length).toBeGreaterThan(0);
  });

  it("type an inline reporter's events in fmin and optimize, and take any Reporter there as before", async () => {
    const seen: EngineEvent[] = [];
    const untyped: Reporter = { name: 'untyped', onEvent: (event) => void seen.push(event) };
    const xs: number[] = [];
    const { trials } = await fmin({
      space,
      suggester: prior,
      maxTrials: 4,
      objective: ({ x }) => x ** 2,
      reporters: [
        untyped,
        {
          name: 'typed',
          onEvent: (event) => {
            if (event.type !== 'trial.finished') return;
            // @ts-expect-error a typo of `kind`
            expect(event.params.knd).toBeUndefined();
            xs.push(event.params.x);
          },
        },
      ],
    });
    expect(xs).toEqual(trials.map((trial) => trial.params.x));
    expect(seen.filter((event) => event.type === 'trial.finished')).toHaveLength(4);
    // An `onEvent` written for any study (the events as a plugin gets them) fits a typed one.
    const anyStudy = (event: EngineEvent): void => void seen.push(event);
    const study = await Study.open({ space: branches, suggester: prior, onEvent: anyStudy });
    await study.optimize({
      objective: ({ x }) => x,
      maxTrials: 2,
      reporters: [
        untyped,
        {
          name: 'typed',
          onEvent: (event) => {
            if (event.type === 'trial.started') expectTypeOf(event.params).toEqualTypeOf<ParamsOf<typeof branches>>();
          },
        },
      ],
    });
  });

  it('are the untyped events for a space typed as any SpaceDefinition, and EngineEvent alone is unchanged', () => {
    expectTypeOf<EventOf<'trial.finished'>['params']>().toEqualTypeOf<ExternalParams>();
    expectTypeOf<EventOf<'study.improved'>['params']>().toEqualTypeOf<ExternalParams>();
    expectTypeOf<EventOf<'trial.started'>['params']>().toEqualTypeOf<ExternalParams>();
    expectTypeOf<StudySummary['bestParams']>().toEqualTypeOf<ExternalParams | undefined>();
    expectTypeOf<EngineEvent>().toEqualTypeOf<EngineEvent<ExternalParams>>();
    expectTypeOf<Parameters<Reporter['onEvent']>[0]>().toEqualTypeOf<EngineEvent>();
    expectTypeOf<EventOf<'trial.finished', ParamsOf<typeof space>>['params']['x']>().toEqualTypeOf<number>();
    type WideEvent = Parameters<NonNullable<Parameters<typeof Study.open<SpaceDefinition>>[0]['onEvent']>>[0];
    expectTypeOf<Extract<WideEvent, { type: 'trial.finished' }>['params']>().toEqualTypeOf<ParamsOf<SpaceDefinition>>();
  });
});
