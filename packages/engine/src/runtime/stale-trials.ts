import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { TrialStore } from '../contracts/store.js';
import type { Lease, Trial } from '../domain/trial.js';

/**
 * The owner string of one run's leases: `host:pid:uuid` (a random UUID, so two runs of one process never
 * share it). {@link isStale} reads the host and the pid; nothing reads the rest.
 */
export const createWorkerId = (): string => `${hostname()}:${process.pid}:${randomUUID()}`;

const processIsAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * A running trial is stale when its lease expired, or when its owner ran on this host and that process
 * is gone (found at once after a kill -9, without waiting for the lease). Trials without a lease
 * (ask/tell studies) are never stale.
 */
export const isStale = (lease: Lease | undefined, now: Date, ownWorker: string): boolean => {
  if (lease === undefined || lease.owner === ownWorker) return false;
  if (Date.parse(lease.expiresAt) <= now.getTime()) return true;
  const [host, pid] = lease.owner.split(':');
  return host === hostname() && pid !== undefined && Number.isInteger(Number(pid)) && !processIsAlive(Number(pid));
};

/**
 * Marks the stale running trials of a study as failed with code `STALE_TRIAL` (the documented policy:
 * a trial whose worker died is never counted as complete and never waited on). Returns their numbers.
 * Two processes may race here; the loser's `TRIAL_ALREADY_FINISHED` is ignored.
 */
export const failStaleTrials = async (
  store: TrialStore,
  study: string,
  trials: readonly Trial[],
  ownWorker: string,
  now = new Date(),
): Promise<number[]> => {
  const stale = trials.filter((trial) => trial.state === 'running' && isStale(trial.lease, now, ownWorker));
  const failed: number[] = [];
  for (const trial of stale) {
    const owner = trial.state === 'running' ? trial.lease?.owner : undefined;
    try {
      await store.finishTrial(study, trial.number, {
        state: 'failed',
        error: {
          code: 'STALE_TRIAL',
          message: `Trial #${trial.number} was left running by worker ${owner}, which stopped without finishing it.`,
        },
      });
      failed.push(trial.number);
    } catch (error) {
      if ((error as { code?: string }).code !== 'TRIAL_ALREADY_FINISHED') throw error;
    }
  }
  return failed;
};
