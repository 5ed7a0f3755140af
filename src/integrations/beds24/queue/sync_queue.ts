import { PgBoss, fromKnex, type Job, type JobResult, type JobWithMetadata } from 'pg-boss';
import type { Db, Knex } from '../../../db.ts';
import type { Logger } from '../../../logger.ts';
import { hasChangeQueuedBefore, hasChangeQueuedSince } from '../store/outbox_store.ts';
import {
  KIND_SETTINGS,
  SYNC_KINDS,
  carriersFirst,
  expireInSeconds,
  jobsSharingWork,
  type SyncKind,
} from './job_kinds.ts';
import {
  CALENDAR_TICK_CRON,
  CALENDAR_TICK_QUEUE,
  DEAD_LETTER_QUEUE,
  DEFAULT_TUNING,
  NIGHTLY_CHECK_QUEUE,
  RETIRED_QUEUES,
  SYNC_QUEUE,
  singletonKeyFor,
  type QueueTuning,
  type SyncJobData,
} from './queue_config.ts';

export interface SyncQueueDeps {
  connectionString: string;
  /** The application's pool: jobs are inserted through it (in the caller's transaction when given one). */
  db: Knex;
  logger: Logger;
  tuning?: Partial<QueueTuning>;
}

/** What a job handler tells the queue: done, try again later, or give up at once (to the dead letters). */
export type JobVerdict = 'completed' | 'retry' | 'deadletter';

export type SyncJobHandler = (data: SyncJobData, job: Job<SyncJobData>) => Promise<JobVerdict>;

export const PGBOSS_SCHEMA = 'pgboss';

export interface SendOptions {
  /** Answer the id of the queued job that absorbed this send when it was a no-op. */
  wantId?: boolean;
  /** Not before this many seconds from now (instead of the leading-edge rule): a job deferred for credits. */
  delaySeconds?: number;
}

/** One pg-boss worker of the sync queue, as this process registered it. */
interface LocalWorker {
  id: string | undefined;
  busy: boolean;
}

/**
 * pg-boss, in-process, on the application's PostgreSQL, in its own schema. Every statement the sync makes
 * on pg-boss's tables outside its API (the depth counts, the live keys) is here too.
 */
export class SyncQueue {
  readonly tuning: QueueTuning;
  private readonly boss: PgBoss;
  private readonly db: Knex;
  private readonly logger: Logger;
  private readonly waking = new Set<Promise<void>>();
  private readonly workers: LocalWorker[] = [];
  private started = false;

  constructor(deps: SyncQueueDeps) {
    this.tuning = { ...DEFAULT_TUNING, ...deps.tuning };
    this.db = deps.db;
    this.logger = deps.logger;
    this.boss = new PgBoss({
      connectionString: deps.connectionString,
      schema: PGBOSS_SCHEMA,
      application_name: 'pms-sync',
      max: 6,
      monitorIntervalSeconds: this.tuning.monitorIntervalSeconds,
      superviseIntervalSeconds: this.tuning.monitorIntervalSeconds,
      persistWarnings: false,
    });
    this.boss.on('error', (error: unknown) => this.logger.error({ err: error }, 'pg-boss error'));
  }

  async start(): Promise<void> {
    await this.boss.start();
    await this.ensureQueue(DEAD_LETTER_QUEUE, { policy: 'standard', retryLimit: 0 });
    await this.ensureQueue(NIGHTLY_CHECK_QUEUE, {
      policy: 'stately',
      retryLimit: 3,
      retryDelay: 60,
      deleteAfterSeconds: 86_400,
    });
    // A tick that fails or expires is not retried: the next minute's tick does the same work.
    await this.ensureQueue(CALENDAR_TICK_QUEUE, {
      policy: 'standard',
      retryLimit: 0,
      expireInSeconds: 120,
      deleteAfterSeconds: 3_600,
    });
    for (const name of RETIRED_QUEUES) if (await this.boss.getQueue(name)) await this.boss.deleteQueue(name);
    await this.ensureQueue(SYNC_QUEUE, {
      policy: 'stately',
      deadLetter: DEAD_LETTER_QUEUE,
      retryLimit: this.tuning.retryLimit,
      retryDelay: this.tuning.retryDelaySeconds,
      retryBackoff: true,
      retryDelayMax: this.tuning.retryDelayMaxSeconds,
      heartbeatSeconds: this.tuning.heartbeatSeconds,
      expireInSeconds: Math.max(...SYNC_KINDS.map(expireInSeconds)),
      deleteAfterSeconds: 86_400,
    });
    this.started = true;
  }

  /**
   * Queues "bring this kind of thing up to date for this property", inside the caller's transaction when
   * `db` is one. Leading edge: after a quiet period (no job of the key queued or running) the job may
   * start at once. Trailing coalescing: with the stately policy a second send while one job of the key is
   * queued is a no-op, and a send while one runs queues the next one a debounce later, so the changes of
   * a burst ride in one push per debounce. `wantId` looks up the id of the queued job that absorbed a no-op.
   */
  async send(db: Db, kind: SyncKind, propertyId: string, options: SendOptions = {}): Promise<string | null> {
    const { wantId = false } = options;
    const settings = KIND_SETTINGS[kind];
    // A delay in seconds: pg-boss counts it from the database's clock, the one that decides when a job runs.
    const delay = options.delaySeconds ?? (await this.trailingDelay(db, kind, propertyId));
    if (typeof delay !== 'number') return wantId ? delay.carriedBy : null;
    const id = await this.boss.send(SYNC_QUEUE, { kind, propertyId } satisfies SyncJobData, {
      db: fromKnex(db),
      singletonKey: singletonKeyFor(kind, propertyId),
      group: { id: propertyId },
      priority: settings.queuePriority,
      startAfter: delay > 0 ? delay : undefined,
      expireInSeconds: expireInSeconds(kind),
    });
    if (id !== null && delay <= 0) this.afterCommit(db, () => this.wakeIdleWorker());
    if (id !== null || !wantId) return id;
    const queued: { rows: Array<{ id: string }> } = await db.raw(
      `select id from ${PGBOSS_SCHEMA}.job
       where name = ? and singleton_key = ? and state in ('created', 'retry') limit 1`,
      [SYNC_QUEUE, singletonKeyFor(kind, propertyId)],
    );
    return queued.rows[0]?.id ?? null;
  }

  /**
   * 0 on the leading edge, else the kind's debounce; or the job that will carry the change. A push on its
   * way is a job of the key, or of a kind that does the same work (a calendar job sends rate changes and
   * the waiting bookings too). One queued to start within this kind's debounce means a burst: the change
   * rides in it, and a job of another kind carries it without a job of its own (the send of the same key
   * is a no-op anyway). One queued for later (a rate job's longer debounce, a job deferred for credits) does
   * not hold the change back. One running that started after every change of this kind waiting was recorded
   * takes this one too. Otherwise it means a burst only while it still carries changes recorded before it
   * started (its own, or this kind's): an edit made just after the push reached Beds24, while the job
   * records its results, is the first of a new quiet period, not part of a burst.
   */
  private async trailingDelay(db: Db, kind: SyncKind, propertyId: string): Promise<number | { carriedBy: string }> {
    const debounce = KIND_SETTINGS[kind].debounceSeconds * this.tuning.debounceFactor;
    if (debounce <= 0) return 0;
    if (!KIND_SETTINGS[kind].leadingEdge) return debounce;
    const own = singletonKeyFor(kind, propertyId);
    const {
      rows,
    }: { rows: Array<{ id: string; key: string; kind: SyncKind; state: string; started_on: Date | null }> } =
      await db.raw(
        `select id, singleton_key as key, data->>'kind' as kind, state, started_on from ${PGBOSS_SCHEMA}.job
         where name = ? and singleton_key = any(?)
           and (state = 'active' or (state in ('created', 'retry') and start_after <= now() + make_interval(secs => ?)))`,
        [SYNC_QUEUE, keysSharingWork(kind, propertyId), debounce],
      );
    const queued = rows.filter((row) => row.state !== 'active');
    if (queued.some((row) => row.key === own)) return debounce;
    if (queued[0] !== undefined) return { carriedBy: queued[0].id };
    const running = rows.find((row) => row.started_on !== null);
    if (!running?.started_on) return 0;
    const clears = KIND_SETTINGS[kind].clears;
    if (clears.length === 0) return debounce;
    // Everything waiting was there when it started: it takes this change too (a job its edit just woke).
    if (!(await hasChangeQueuedSince(db, propertyId, clears, running.started_on))) return { carriedBy: running.id };
    const carried = [...new Set([...clears, ...KIND_SETTINGS[running.kind].clears])];
    return (await hasChangeQueuedBefore(db, propertyId, carried, running.started_on)) ? debounce : 0;
  }

  /**
   * The property's jobs of these kinds queued to wait out a debounce may start now. Answers whether one
   * did; the worker that runs the property's current job fetches it as soon as that job ends (it fetches
   * again at once).
   */
  async startQueuedNow(db: Db, kinds: readonly SyncKind[], propertyId: string): Promise<boolean> {
    const { rowCount }: { rowCount: number | null } = await db.raw(
      `update ${PGBOSS_SCHEMA}.job set start_after = now()
       where name = ? and singleton_key = any(?) and state = 'created' and start_after > now()`,
      [SYNC_QUEUE, kinds.map((job) => singletonKeyFor(job, propertyId))],
    );
    return (rowCount ?? 0) > 0;
  }

  /**
   * A job that may start now is fetched by an idle worker of this process at once instead of at its next
   * poll; a busy one fetches again as soon as its job ends. Other processes find it by polling.
   */
  private wakeIdleWorker(): void {
    const idle = this.workers.find((worker) => !worker.busy && worker.id !== undefined);
    if (idle?.id !== undefined) this.boss.notifyWorker(idle.id);
  }

  /** Singleton keys (`kind:property`) of the jobs waiting, retrying or running: the work already on its way. */
  async liveKeys(db: Db): Promise<Set<string>> {
    const { rows }: { rows: Array<{ key: string }> } = await db.raw(
      `select distinct singleton_key as key from ${PGBOSS_SCHEMA}.job
       where name = ? and state in ('created', 'retry', 'active') and singleton_key is not null`,
      [SYNC_QUEUE],
    );
    return new Set(rows.map((row) => row.key));
  }

  /** Runs `then` once `db` commits (at once when it is no transaction); nothing when it rolls back. */
  private afterCommit(db: Db, then: () => void): void {
    if ('executionPromise' in db && db.isTransaction) void db.executionPromise.then(then, () => undefined);
    else then();
  }

  /**
   * Wakes a worker for these kinds of the property once `db` commits (at once when it is no transaction),
   * off the caller's path: pg-boss's insert costs about 2 ms. A wake-up that fails, or is lost with the
   * process, is sent by the outbox sweeper.
   */
  wakeAfterCommit(db: Db, propertyId: string, kinds: Iterable<SyncKind>): void {
    // One after the other: a booking change then rides in the calendar job its edit queued.
    const ordered = carriersFirst([...new Set(kinds)], (kind) => kind);
    const wake = (): void => {
      const sending = (async () => {
        for (const kind of ordered) {
          await this.send(this.db, kind, propertyId).catch((error: unknown) => {
            this.logger.warn({ err: error, kind }, 'could not queue a sync job after commit; the outbox sweeper will');
          });
        }
      })().finally(() => this.waking.delete(sending));
      this.waking.add(sending);
    };
    this.afterCommit(db, wake);
  }

  /** Jobs waiting and running, per kind, for one property or all. */
  async depth(db: Db, propertyId?: string): Promise<Array<{ kind: SyncKind; state: string; count: number }>> {
    const { rows }: { rows: Array<{ kind: SyncKind; state: string; count: number }> } = await db.raw(
      `select data->>'kind' as kind, state, count(*)::int as count from ${PGBOSS_SCHEMA}.job
       where name = ? and state in ('created', 'retry', 'active') and (?::text is null or data->>'propertyId' = ?::text)
       group by 1, 2`,
      [SYNC_QUEUE, propertyId ?? null, propertyId ?? null],
    );
    return rows;
  }

  /** Jobs of the sync queue per kind and state, over the states given. */
  async jobCounts(db: Db, states: readonly string[]): Promise<Array<{ kind: string; state: string; count: number }>> {
    const { rows }: { rows: Array<{ kind: string; state: string; count: number }> } = await db.raw(
      `select data->>'kind' as kind, state, count(*)::int as count from ${PGBOSS_SCHEMA}.job
       where name = ? and state in (${states.map(() => '?').join(', ')}) group by 1, 2`,
      [SYNC_QUEUE, ...states],
    );
    return rows;
  }

  /**
   * One pg-boss worker per slot of `localConcurrency`, each registered on its own so that this process can
   * wake an idle one by id (pg-boss answers only the first worker's id for a multi-worker registration).
   * A worker whose job ends fetches again at once instead of sleeping out its poll: the queue drains as
   * fast as jobs end, and the next kind of the same property (held back by the group) goes next.
   */
  async work(handler: SyncJobHandler): Promise<void> {
    for (let slot = 0; slot < this.tuning.localConcurrency; slot += 1) {
      const worker: LocalWorker = { id: undefined, busy: false };
      this.workers.push(worker);
      worker.id = await this.boss.work<SyncJobData>(
        SYNC_QUEUE,
        {
          localConcurrency: 1,
          groupConcurrency: 1,
          batchSize: 1,
          pollingIntervalSeconds: this.tuning.pollingIntervalSeconds,
          perJobResults: true,
        },
        async (jobs: Job<SyncJobData>[]): Promise<JobResult[]> => {
          worker.busy = true;
          try {
            const results: JobResult[] = [];
            for (const job of jobs) {
              const verdict = await handler(job.data, job);
              results.push({ id: job.id, status: verdict === 'retry' ? 'failed' : verdict });
            }
            return results;
          } finally {
            worker.busy = false;
            if (worker.id !== undefined) this.boss.notifyWorker(worker.id);
          }
        },
      );
    }
  }

  /** `sourceId` is the id of the job that died; the dead-letter copy has an id of its own. */
  async workDeadLetters(handler: (data: SyncJobData, sourceId: string | null) => Promise<void>): Promise<void> {
    await this.boss.work<SyncJobData, unknown, { pollingIntervalSeconds: 2; includeMetadata: true }>(
      DEAD_LETTER_QUEUE,
      { pollingIntervalSeconds: 2, includeMetadata: true },
      async (jobs: JobWithMetadata<SyncJobData>[]) => {
        for (const job of jobs) await handler(job.data, job.sourceId);
      },
    );
  }

  /** Queues the nightly check of a property, inside the caller's transaction when `db` is one. */
  async sendNightlyCheck(db: Db, propertyId: string): Promise<void> {
    await this.boss.send(NIGHTLY_CHECK_QUEUE, { propertyId }, { db: fromKnex(db), singletonKey: propertyId });
  }

  async workNightlyChecks(handler: (propertyId: string) => Promise<void>): Promise<void> {
    type Data = { propertyId: string };
    await this.boss.work<Data>(NIGHTLY_CHECK_QUEUE, { pollingIntervalSeconds: 2 }, async (jobs: Job<Data>[]) => {
      for (const { data } of jobs) {
        await this.logged('nightly check', () => handler(data.propertyId), { property_id: data.propertyId });
      }
    });
  }

  /** Schedules the minute tick (scheduling again changes nothing) and works it. */
  async workTicks(handler: () => Promise<void>): Promise<void> {
    await this.boss.schedule(CALENDAR_TICK_QUEUE, CALENDAR_TICK_CRON);
    await this.boss.work(CALENDAR_TICK_QUEUE, { pollingIntervalSeconds: 5 }, async () => {
      await this.logged('calendar tick', handler);
    });
  }

  /** pg-boss records a failed job without a word: say it in the log, then let pg-boss retry (or not). */
  private async logged(what: string, run: () => Promise<void>, context: Record<string, unknown> = {}): Promise<void> {
    try {
      await run();
    } catch (error) {
      this.logger.warn({ err: error, ...context }, `${what} failed`);
      throw error;
    }
  }

  /** Every pg-boss schedule on the database (one is expected: the minute tick). */
  async schedules(): Promise<Array<{ name: string; key: string; cron: string }>> {
    return (await this.boss.getSchedules()).map((s) => ({ name: s.name, key: s.key, cron: s.cron }));
  }

  /**
   * Sends the wake-ups of recent commits, stops fetching, lets running jobs finish for up to `timeoutMs`,
   * then closes the pool.
   */
  async stop(timeoutMs = 20_000): Promise<void> {
    while (this.waking.size > 0) await Promise.all([...this.waking]);
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({ graceful: true, timeout: timeoutMs, close: true });
  }

  /** Creates the queue, or brings an existing one's settings up to date (its policy is fixed at creation). */
  private async ensureQueue(name: string, options: NonNullable<Parameters<PgBoss['createQueue']>[1]>): Promise<void> {
    if (!(await this.boss.getQueue(name))) {
      await this.boss.createQueue(name, options);
      return;
    }
    const { policy: _policy, ...changeable } = options;
    await this.boss.updateQueue(name, changeable);
  }
}

/** The singleton keys of the property's jobs that do `kind`'s work. */
function keysSharingWork(kind: SyncKind, propertyId: string): string[] {
  return jobsSharingWork(kind).map((job) => singletonKeyFor(job, propertyId));
}
