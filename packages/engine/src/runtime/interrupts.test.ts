import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { holdProcessOpen, type InterruptHandlers, installInterruptHandlers, studyRunGoingOn } from './interrupts.js';

type SignalName = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

/**
 * Installs the handlers and returns a way to deliver a signal to them alone: their own listeners are
 * called (no real signal is sent, and other listeners of this process, such as the test runner's, are
 * left alone).
 */
const install = (seen?: [string, number][]) => {
  const names: SignalName[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const before = new Map(names.map((name) => [name, new Set(process.listeners(name))]));
  const handlers = installInterruptHandlers(seen === undefined ? undefined : (name, count) => seen.push([name, count]));
  const deliver = (name: SignalName) => {
    const added = process.listeners(name).filter((listener) => !before.get(name)?.has(listener));
    expect(added).toHaveLength(1);
    for (const listener of added) (listener as (signal: SignalName) => void)(name);
  };
  return { handlers, deliver };
};

let installed: InterruptHandlers | undefined;
afterEach(() => installed?.dispose());

describe('installInterruptHandlers', () => {
  it('SIGTERM then SIGINT: stops, then forces, and exits with the first signal’s code (143)', () => {
    const seen: [string, number][] = [];
    const { handlers, deliver } = install(seen);
    installed = handlers;
    expect(handlers.exitCode()).toBeUndefined();
    deliver('SIGTERM');
    expect(handlers.signal.aborted).toBe(true);
    expect(handlers.forceSignal.aborted).toBe(false);
    deliver('SIGINT');
    expect(handlers.forceSignal.aborted).toBe(true);
    expect(handlers.received()).toBe('SIGTERM');
    expect(handlers.exitCode()).toBe(143);
    expect(seen).toEqual([
      ['SIGTERM', 1],
      ['SIGINT', 2],
    ]);
  });

  it('SIGINT then SIGHUP exits 130; SIGHUP alone 129', () => {
    const first = install([]);
    installed = first.handlers;
    first.deliver('SIGINT');
    first.deliver('SIGHUP');
    expect(first.handlers.exitCode()).toBe(130);
    first.handlers.dispose();
    const second = install([]);
    installed = second.handlers;
    second.deliver('SIGHUP');
    expect(second.handlers.exitCode()).toBe(129);
  });

  it('counts the same signal repeated within 100 ms once (trial 58: `timeout` signals the process, then its group)', async () => {
    const seen: [string, number][] = [];
    const { handlers, deliver } = install(seen);
    installed = handlers;
    deliver('SIGTERM');
    deliver('SIGTERM');
    expect(handlers.signal.aborted).toBe(true);
    expect(handlers.forceSignal.aborted).toBe(false);
    expect(seen).toEqual([['SIGTERM', 1]]);
    // Later, it is the second one, even when repeats keep coming meanwhile (review 59: a key held down, a
    // signal every 20 ms, restarted the window and never forced).
    const start = performance.now();
    while (performance.now() - start < 150 && !handlers.forceSignal.aborted) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      deliver('SIGTERM');
    }
    expect(handlers.forceSignal.aborted).toBe(true);
    expect(seen).toEqual([
      ['SIGTERM', 1],
      ['SIGTERM', 2],
    ]);
  });

  it('says each signal on stderr as the CLI does when no onSignal is given (trial 171: nothing was said)', () => {
    const written: string[] = [];
    const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    // While a run goes on: with none, the default handlers end the process (tested in a child below).
    const ended = studyRunGoingOn();
    try {
      const { handlers, deliver } = install();
      installed = handlers;
      deliver('SIGINT');
      // Another signal: the same one within 100 ms counts once.
      deliver('SIGTERM');
    } finally {
      ended();
      write.mockRestore();
    }
    expect(written.map((line) => line.trim())).toEqual([
      "parzen: SIGINT: letting running trials finish (up to the run's grace period, 30 s unless `gracePeriodMs` or a config's `gracePeriodSeconds` sets it), then stopping (press Ctrl-C again to stop now).",
      'parzen: SIGTERM: stopping now: running trials are recorded as interrupted (send SIGTERM again to exit at once).',
    ]);
  });

  it('says nothing of its own when onSignal is given', () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const { handlers, deliver } = install([]);
      installed = handlers;
      deliver('SIGTERM');
      expect(write).not.toHaveBeenCalled();
    } finally {
      write.mockRestore();
    }
  });

  it('removes its listeners when disposed', () => {
    const counts = () => ['SIGINT', 'SIGTERM', 'SIGHUP'].map((name) => process.listenerCount(name));
    const before = counts();
    const handlers = installInterruptHandlers();
    expect(counts()).toEqual(before.map((count) => count + 1));
    handlers.dispose();
    expect(counts()).toEqual(before);
  });
});

it('refuses an argument that is not a function, which failed only at the first Ctrl-C', () => {
  expect(() => installInterruptHandlers({ gracePeriodMs: 5000 } as never)).toThrow(
    expect.objectContaining({
      code: 'CONFIG_INVALID',
      issues: [expect.objectContaining({ pointer: '', found: '{"gracePeriodMs":5000}' })],
    }),
  );
});

/**
 * A program that installs the default handlers once, as a long-lived service does, and leaves them
 * installed: it runs a study (until it is interrupted, with `interrupt`), then stays up, idle, printing
 * `idle` and what the run ended with. Runs in a child: ending the process is what is tested.
 */
const service = (interrupt: boolean) => {
  const fmin = fileURLToPath(new URL('../fmin.ts', import.meta.url));
  const interrupts = fileURLToPath(new URL('./interrupts.ts', import.meta.url));
  const sample = fileURLToPath(new URL('../domain/sample-distribution.ts', import.meta.url));
  const script = `
    import { fmin } from ${JSON.stringify(fmin)};
    import { installInterruptHandlers } from ${JSON.stringify(interrupts)};
    import { sampleDistribution } from ${JSON.stringify(sample)};
    const handlers = installInterruptHandlers();
    const suggester = { name: 'prior', beginTrial: (c) => ({ sampleParam: (p) => sampleDistribution(p.distribution, c.rng) }) };
    const run = await fmin({
      space: { x: { type: 'uniform', low: 0, high: 1 } },
      suggester,
      maxTrials: ${interrupt ? 1000 : 2},
      signal: handlers.signal,
      forceSignal: handlers.forceSignal,
      objective: async ({ x }) => {
        ${interrupt ? "process.stdout.write('running\\n'); await new Promise((resolve) => setTimeout(resolve, 200));" : ''}
        return x;
      },
    });
    setInterval(() => {}, 1000);
    process.stdout.write('idle ' + run.reason + '\\n');
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += String(chunk);
  });
  child.stderr.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const printed = async (text: string): Promise<void> => {
    for (let waited = 0; !stdout.includes(text); waited += 20) {
      if (waited > 20_000) throw new Error(`the child never printed ${text}: ${stdout} ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  // Its exit code, or 'still running' 5 s after the last signal (then it is killed).
  const exit = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? String(signal)));
  });
  const ended = async (): Promise<number | string> => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    const code = await exit;
    clearTimeout(timer);
    return code === 'SIGKILL' ? 'still running' : code;
  };
  return { child, printed, ended, output: () => ({ stdout, stderr }) };
};

describe('installInterruptHandlers left installed in a long-lived program', () => {
  it('ends the process at a signal while no study runs, as Node would without them (Ctrl-C never ended it)', async () => {
    for (const [signal, code] of [
      ['SIGINT', 130],
      ['SIGTERM', 143],
    ] as const) {
      const program = service(false);
      await program.printed('idle max-trials');
      program.child.kill(signal);
      expect(await program.ended()).toBe(code);
      expect(program.output().stderr).toContain(`parzen: ${signal}: no study is running, so exiting`);
    }
  }, 60_000);

  it('stops a running study gracefully at the first signal, and ends the process at one after the run', async () => {
    const program = service(true);
    await program.printed('running');
    program.child.kill('SIGINT');
    await program.printed('idle interrupted');
    program.child.kill('SIGINT');
    expect(await program.ended()).toBe(130);
    expect(program.output().stderr).toContain('parzen: SIGINT: letting running trials finish');
    expect(program.output().stderr).toContain('parzen: SIGINT: no study is running, so exiting');
  }, 60_000);
});

describe('holdProcessOpen', () => {
  /**
   * A program whose suggester never settles (a promise holding no handle) and that ends itself with code 7 after
   * 300 ms by an unref'd timer: Node ends it at once with code 13 (an unsettled top-level await) unless the ask or
   * the run holds it open. Runs in a child: the process's end is what is tested.
   */
  const stuck = (how: 'ask' | 'run') => {
    const study = fileURLToPath(new URL('../study.ts', import.meta.url));
    const fmin = fileURLToPath(new URL('../fmin.ts', import.meta.url));
    const script = `
      import { Study } from ${JSON.stringify(study)};
      import { fmin } from ${JSON.stringify(fmin)};
      const suggester = { name: 'stuck', beginTrial: () => ({ sampleParam: () => new Promise(() => {}) }) };
      const space = { x: { type: 'uniform', low: 0, high: 1 } };
      setTimeout(() => process.exit(7), 300).unref();
      ${
        how === 'ask'
          ? 'await (await Study.open({ space, suggester })).ask();'
          : 'await fmin({ space, suggester, maxTrials: 1, objective: ({ x }) => x });'
      }
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: 'ignore',
    });
    return new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  };

  it("holds with one timer, ref'd while any hold is taken (an ask made and cleared a timer of its own)", () => {
    const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
    // Relative counts: an earlier test of this thread may still hold the process open (an ask left waiting on a
    // suggester that never answers), and then the shared timer is ref'd before this test begins.
    const before = timers();
    const first = holdProcessOpen();
    const held = timers();
    expect(held).toBeGreaterThanOrEqual(before);
    expect(held).toBeLessThanOrEqual(before + 1);
    const second = holdProcessOpen();
    expect(timers()).toBe(held);
    first();
    first();
    // Released twice, the first hold counts once: the second still holds the process open.
    expect(timers()).toBe(held);
    second();
    expect(timers()).toBe(before);
    const third = holdProcessOpen();
    expect(timers()).toBe(held);
    third();
    expect(timers()).toBe(before);
  });

  it("leaves no timer in a test's fake clock (runAllTimers ran the kept one until it gave up)", () => {
    vi.useFakeTimers();
    try {
      const release = holdProcessOpen();
      release();
      expect(vi.getTimerCount()).toBe(0);
      expect(() => vi.runAllTimers()).not.toThrow();
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps a process open while an ask or a run waits on a suggester that holds nothing (Node ended it, code 13)', async () => {
    expect(await stuck('ask')).toBe(7);
    expect(await stuck('run')).toBe(7);
  }, 30_000);
});
