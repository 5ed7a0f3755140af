import type { Clock } from '../../../clock.ts';
import type { Knex } from '../../../db.ts';
import type { Logger } from '../../../logger.ts';
import { chargeAssumedCost, readMeter, writeMeter, type MeterRow } from '../store/credit_meter_store.ts';
import { Beds24CreditsDeferredError } from './beds24_errors.ts';
import { DEFAULT_RESERVES, type Beds24Priority } from './priority.ts';
import { PriorityMutex } from './priority_mutex.ts';

/** What one Beds24 answer said about the account's credits; absent headers stay undefined (unknown, not 0). */
export interface MeterReading {
  remaining?: number;
  resetsInSeconds?: number;
  cost?: number;
}

export interface GatedOutcome<T> {
  meter: MeterReading;
  rateLimited: boolean;
  /** Credits to assume spent when the answer (and its meter headers) was lost after the request left. */
  assumedCost?: number;
  value: T;
}

export interface CreditGateDeps {
  db: Knex;
  clock: Clock;
  logger: Logger;
  reserves?: Record<Beds24Priority, number>;
  /** How long to assume the window lasts after a 429 that did not say when it resets. */
  fallbackResetSeconds?: number;
}

export interface GateCallOptions {
  /**
   * False: a call that must wait for the window to reset throws Beds24CreditsDeferredError instead, so a
   * queue job can give its property back rather than sleep while holding it. Default true.
   */
  wait?: boolean;
}

export interface MeterState {
  remaining: number | null;
  resetsInSeconds: number | null;
}

/**
 * The account's credit budget, shared by every process through one database row per account.
 *
 * Calls to one account are serialised: a caller takes a transaction-scoped advisory lock, decides from the
 * meter whether the call may go, makes it while holding the lock and writes back what the answer's headers
 * say. So the meter is always the last answer's exact figure, two processes can never both spend the last
 * credits, and a crashed process releases the lock with its connection. Beds24's budget (about one call
 * every three seconds on average) makes serialising free in practice. Callers below their priority's
 * reserve wait, outside the lock, until the window resets (or, with `wait: false`, are told when to come
 * back); in-process waiters are served by priority.
 */
export class CreditGate {
  private readonly db: Knex;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly reserves: Record<Beds24Priority, number>;
  private readonly fallbackResetSeconds: number;
  private readonly mutexes = new Map<string, PriorityMutex>();

  constructor(deps: CreditGateDeps) {
    this.db = deps.db;
    this.clock = deps.clock;
    this.logger = deps.logger;
    this.reserves = deps.reserves ?? DEFAULT_RESERVES;
    this.fallbackResetSeconds = deps.fallbackResetSeconds ?? 60;
  }

  async run<T>(
    accountKey: string,
    priority: Beds24Priority,
    estimatedCost: number,
    call: () => Promise<GatedOutcome<T>>,
    { wait = true }: GateCallOptions = {},
  ): Promise<T> {
    const mutex = this.mutexFor(accountKey);
    for (;;) {
      const release = await mutex.acquire(priority);
      let waitMs: number;
      try {
        const result = await this.db.transaction(async (trx) => {
          await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`beds24-credits:${accountKey}`]);
          const row = await readMeter(trx, accountKey);
          const wait = this.waitNeeded(row, priority, estimatedCost);
          if (wait > 0) return { done: false, waitMs: wait } as const;
          const outcome = await call();
          await this.record(trx, accountKey, outcome);
          return { done: true, value: outcome.value } as const;
        });
        if (result.done) return result.value;
        waitMs = result.waitMs;
      } finally {
        release();
      }
      if (!wait) throw new Beds24CreditsDeferredError(new Date(this.clock.now().getTime() + waitMs), waitMs);
      this.logger.info(
        { accountKey, priority, waitMs },
        'Beds24 credits below reserve; waiting for the window to reset',
      );
      await this.clock.sleep(waitMs);
    }
  }

  async read(accountKey: string): Promise<MeterState> {
    return toState(await readMeter(this.db, accountKey), this.clock.now());
  }

  private waitNeeded(row: MeterRow | undefined, priority: Beds24Priority, cost: number): number {
    if (!row || row.remaining === null || row.resets_at === null) return 0;
    const untilReset = row.resets_at.getTime() - this.clock.now().getTime();
    if (untilReset <= 0) return 0;
    if (row.remaining - cost >= this.reserves[priority]) return 0;
    return untilReset + 250;
  }

  private async record(trx: Knex.Transaction, accountKey: string, outcome: GatedOutcome<unknown>): Promise<void> {
    const { remaining, resetsInSeconds } = outcome.meter;
    const now = this.clock.now();
    const after = (seconds: number): Date => new Date(now.getTime() + seconds * 1000);
    let next: { remaining: number; resets_at: Date } | undefined;
    if (remaining !== undefined && resetsInSeconds !== undefined) {
      next = { remaining, resets_at: after(resetsInSeconds) };
    } else if (outcome.assumedCost !== undefined) {
      // Beds24 may have charged a call whose answer we never saw: keep the meter on the safe side.
      await chargeAssumedCost(trx, accountKey, outcome.assumedCost, now);
    }
    if (outcome.rateLimited) {
      next = { remaining: 0, resets_at: after(resetsInSeconds ?? this.fallbackResetSeconds) };
    }
    if (next) await writeMeter(trx, accountKey, next, now);
  }

  private mutexFor(accountKey: string): PriorityMutex {
    let mutex = this.mutexes.get(accountKey);
    if (!mutex) {
      mutex = new PriorityMutex();
      this.mutexes.set(accountKey, mutex);
    }
    return mutex;
  }
}

function toState(row: MeterRow | undefined, now: Date): MeterState {
  if (!row || row.remaining === null || row.resets_at === null) return { remaining: null, resetsInSeconds: null };
  const resetsIn = Math.max(0, Math.ceil((row.resets_at.getTime() - now.getTime()) / 1000));
  return { remaining: row.remaining, resetsInSeconds: resetsIn };
}
