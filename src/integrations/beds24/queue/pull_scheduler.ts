import type { Clock } from '../../../clock.ts';
import type { Knex } from '../../../db.ts';
import type { Logger } from '../../../logger.ts';
import { claimDueImports } from '../store/pull_state_store.ts';
import type { SyncQueue } from './sync_queue.ts';

/** A delivery unprocessed this long after it arrived lost its wake-up (the process died): its job is sent. */
export const INBOX_GRACE_SECONDS = 10;

export interface PullSchedulerDeps {
  db: Knex;
  queue: Pick<SyncQueue, 'send'>;
  clock: Clock;
  logger: Logger;
  /** BEDS24_PULL_INTERVAL_SECONDS. */
  intervalSeconds: number;
  /** False: no interval pulls; the inbox is still looked after. */
  intervalPulls?: boolean;
  /** How often it ticks; by default a fifth of the interval, between 1 and 30 s. */
  tickMs?: number;
}

/**
 * Every connected property (pulls on) is pulled every BEDS24_PULL_INTERVAL_SECONDS, without a pg-boss
 * schedule per property: each process ticks, and one statement per tick, whatever the number of
 * properties, claims the properties whose pull is due (a conditional update: with several processes, one
 * claims each) and those whose webhook deliveries lost their wake-up. Each gets an import job (coalesced
 * per property). A pull is at most one tick late; one whose job was lost is claimed an interval later.
 */
export class PullScheduler {
  private readonly deps: PullSchedulerDeps;
  private readonly tickMs: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(deps: PullSchedulerDeps) {
    this.deps = deps;
    this.tickMs = deps.tickMs ?? Math.min(30_000, Math.max(1000, (deps.intervalSeconds * 1000) / 5));
  }

  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.tick()
        .then(() => undefined)
        .catch((error: unknown) => this.deps.logger.error({ err: error }, 'pull scheduler tick failed'))
        .finally(() => {
          this.running = undefined;
        });
    }, this.tickMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One tick now; answers how many import jobs it sent. */
  async tick(): Promise<number> {
    const { db, queue, clock, intervalSeconds, intervalPulls = true } = this.deps;
    const due = await claimDueImports(db, clock.now(), {
      intervalSeconds: intervalPulls ? intervalSeconds : null,
      inboxGraceSeconds: INBOX_GRACE_SECONDS,
    });
    for (const { property_id } of due) await queue.send(db, 'import', property_id);
    return due.length;
  }
}
