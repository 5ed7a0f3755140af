import type { Knex } from '../../../db.ts';
import type { Logger } from '../../../logger.ts';
import { pushableChanges } from '../store/outbox_store.ts';
import { carriersFirst, jobsClearing } from './job_kinds.ts';
import { singletonKeyFor } from './queue_config.ts';
import type { SyncQueue } from './sync_queue.ts';

export interface OutboxSweeperDeps {
  db: Knex;
  queue: Pick<SyncQueue, 'send' | 'liveKeys'>;
  logger: Logger;
  intervalMs?: number;
}

/**
 * Sends the job of every outbox row that has none on its way: one whose wake-up was lost (the process died
 * right after the commit), one left behind by a job that gave up while Beds24 was down, and the rows kept
 * while the property's pushes were off, once they are back on (also when switched in SQL). Paused
 * properties, and credentials that Beds24 refused, are left alone until the toggles or the connection change.
 */
export class OutboxSweeper {
  private readonly deps: Required<OutboxSweeperDeps>;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(deps: OutboxSweeperDeps) {
    this.deps = { ...deps, intervalMs: deps.intervalMs ?? 30_000 };
  }

  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.sweep()
        .then(() => undefined)
        .catch((error: unknown) => this.deps.logger.error({ err: error }, 'outbox sweep failed'))
        .finally(() => {
          this.running = undefined;
        });
    }, this.deps.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Returns how many jobs it sent (one per property and kind). */
  async sweep(): Promise<number> {
    const { db, queue } = this.deps;
    const waiting = await pushableChanges(db);
    if (waiting.length === 0) return 0;
    // Read after the outbox, so a row is never missed; a job that ends in between costs one empty run.
    const live = await queue.liveKeys(db);
    let sent = 0;
    for (const { property_id, kind } of carriersFirst(waiting, (change) => change.kind)) {
      if (jobsClearing(kind).some((clearing) => live.has(singletonKeyFor(clearing, property_id)))) continue;
      await queue.send(db, kind, property_id);
      live.add(singletonKeyFor(kind, property_id));
      sent += 1;
    }
    return sent;
  }
}
