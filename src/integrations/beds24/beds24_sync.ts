import type { Router } from 'express';
import type { Job } from 'pg-boss';
import type { Registry } from 'prom-client';
import type { Clock } from '../../clock.ts';
import type { Knex } from '../../db.ts';
import type { Logger } from '../../logger.ts';
import type { CalendarDate } from '../../utils/dates.ts';
import type { PushSummary } from './beds24_sync_types.ts';
import { Beds24ClientFactory, type Beds24ClientFactoryDeps } from './client/beds24_client_factory.ts';
import type { Beds24Priority } from './client/priority.ts';
import { createSyncHooks, type SyncHooks } from './hooks/sync_hooks.ts';
import { SyncMetrics } from './metrics/sync_metrics.ts';
import { OutboxSweeper } from './queue/outbox_sweeper.ts';
import { PullScheduler } from './queue/pull_scheduler.ts';
import type { QueueTuning, SyncJobData } from './queue/queue_config.ts';
import { SyncQueue, type JobVerdict } from './queue/sync_queue.ts';
import { SyncWorker } from './queue/sync_worker.ts';
import { AvailabilityPushService } from './services/availability_push_service.ts';
import { Beds24Connections } from './services/beds24_connections.ts';
import {
  BookingImportService,
  type ImportOptions,
  type ImportSummary,
  type PullNowOptions,
} from './services/booking_import_service.ts';
import { Beds24Connector } from './services/beds24_connector.ts';
import { calendarGrid, gridRange, type CalendarGrid } from './services/calendar_grid.ts';
import { CalendarTick } from './services/calendar_tick.ts';
import { ConnectService, type ConnectRequest } from './services/connect_service.ts';
import { DriftVerifier, type DriftReport } from './services/drift_verifier.ts';
import { PropertyResync } from './services/property_resync.ts';
import { ReservationPushService } from './services/reservation_push_service.ts';
import { Beds24RoomCatalog } from './services/room_catalog.ts';
import { retryFailed, retryFailure } from './services/sync_failures.ts';
import { readSyncStatus, type SyncStatus } from './services/sync_status.ts';
import { WebhookSetup, type WebhookSetupResult } from './services/webhook_setup.ts';
import { isPushEnabled, loadConfig, type Beds24Config } from './store/config_store.ts';
import type { FailureRow } from './store/failures_store.ts';
import { recordChanges } from './store/outbox_store.ts';
import { createWebhookRouter } from './webhooks/webhook_router.ts';

export const DEFAULT_PULL_INTERVAL_SECONDS = 300;

export interface Beds24SyncDeps {
  db: Knex;
  databaseUrl: string;
  /** Beds24's API v2 base URL; a process that never calls Beds24 (the command line's status) has none. */
  beds24ApiUrl?: string;
  encryptionKey: string;
  horizonDays: number;
  logger: Logger;
  clock: Clock;
  tuning?: Partial<QueueTuning>;
  /** BEDS24_WEBHOOK_TOKEN: what Beds24 sends with each webhook; without it every delivery is refused. */
  webhookToken?: string;
  /** BEDS24_PULL_INTERVAL_SECONDS (default 300). */
  pullIntervalSeconds?: number;
  /** False: no interval pulls (the webhook path alone, in tests); pulls asked for still run. */
  intervalPulls?: boolean;
  /** PUBLIC_URL: connecting a property points its booking webhook here. */
  publicUrl?: string;
  client?: Pick<Beds24ClientFactoryDeps, 'reserves' | 'transport'>;
  sweepIntervalMs?: number;
}

/**
 * The whole push sync, wired: controller hooks → outbox + pg-boss → worker → push services → mappers →
 * credit-aware client. The HTTP app uses `hooks`, `metricsRegistry` and the operations below (also the
 * command line's); the server starts the workers.
 */
export class Beds24Sync {
  /** What the PMS controllers call inside their transactions. */
  readonly hooks: SyncHooks;
  readonly metricsRegistry: Registry;
  /** `POST /webhooks/beds24`: mounted outside /api (Beds24 sends no bearer token). */
  readonly webhooks: Router;
  private readonly db: Knex;
  private readonly clock: Clock;
  private readonly horizonDays: number;
  private readonly queue: SyncQueue;
  private readonly gate: Beds24ClientFactory['gate'];
  private readonly availability: AvailabilityPushService;
  private readonly worker: SyncWorker;
  private readonly sweeper: OutboxSweeper;
  private readonly resyncs: PropertyResync;
  private readonly verifier: DriftVerifier;
  private readonly calendarTick: CalendarTick;
  private readonly connector: ConnectService;
  private readonly imports: BookingImportService;
  private readonly pullScheduler: PullScheduler;
  private readonly webhookSetup: WebhookSetup;
  private workersRunning = false;

  constructor(deps: Beds24SyncDeps) {
    const { db, logger, clock, horizonDays } = deps;
    this.db = db;
    this.clock = clock;
    this.horizonDays = horizonDays;
    this.queue = new SyncQueue({ connectionString: deps.databaseUrl, db, logger, tuning: deps.tuning });
    const metrics = new SyncMetrics({ db, queue: this.queue, clock });
    this.metricsRegistry = metrics.registry;
    this.webhooks = createWebhookRouter({
      db,
      token: deps.webhookToken,
      queue: this.queue,
      clock,
      counter: metrics.webhooks,
    });
    const factory = new Beds24ClientFactory({
      counters: metrics,
      db,
      baseUrl: deps.beds24ApiUrl,
      encryptionKey: deps.encryptionKey,
      logger,
      clock,
      ...deps.client,
    });
    this.gate = factory.gate;
    const connections = new Beds24Connections({ factory });
    const rooms = new Beds24RoomCatalog({ db, connections, clock, logger });
    this.hooks = createSyncHooks({ queue: this.queue, rooms, clock });
    const reservations = new ReservationPushService({
      db,
      connections,
      clock,
      logger,
      queue: this.queue,
      latency: metrics.pushLatency,
    });
    this.imports = new BookingImportService({
      db,
      connections,
      queue: this.queue,
      clock,
      logger,
      pullIntervalSeconds: deps.pullIntervalSeconds ?? DEFAULT_PULL_INTERVAL_SECONDS,
      counter: metrics.imports,
    });
    this.availability = new AvailabilityPushService({
      db,
      connections,
      clock,
      logger,
      horizonDays,
      bookings: reservations,
      imports: this.imports,
      latency: metrics.pushLatency,
    });
    this.worker = new SyncWorker({
      db,
      queue: this.queue,
      logger,
      clock,
      handlers: {
        reservations: (propertyId, options) => reservations.pushPending(propertyId, options),
        availability: (propertyId, options) => this.availability.pushPending(propertyId, options),
        rates: (propertyId, options) => this.availability.pushPending(propertyId, options),
        resync: (propertyId, options) => this.availability.pushPendingResyncs(propertyId, options),
        import: (propertyId, options) => this.imports.importChanges(propertyId, { reason: 'job', ...options }),
      },
    });
    this.sweeper = new OutboxSweeper({ db, queue: this.queue, logger, intervalMs: deps.sweepIntervalMs });
    this.resyncs = new PropertyResync({ db, queue: this.queue, clock, horizonDays });
    this.verifier = new DriftVerifier({
      db,
      connections,
      availability: this.availability,
      imports: this.imports,
      queue: this.queue,
      clock,
      logger,
      found: metrics.driftCells,
    });
    this.calendarTick = new CalendarTick({ db, queue: this.queue, clock });
    this.pullScheduler = new PullScheduler({
      db,
      queue: this.queue,
      clock,
      logger,
      intervalSeconds: deps.pullIntervalSeconds ?? DEFAULT_PULL_INTERVAL_SECONDS,
      intervalPulls: deps.intervalPulls,
    });
    this.webhookSetup = new WebhookSetup({ connections, publicUrl: deps.publicUrl, token: deps.webhookToken, logger });
    this.connector = new ConnectService({
      db,
      connector: new Beds24Connector({ factory, clock }),
      rooms,
      resync: this.resyncs,
      tick: this.calendarTick,
      queue: this.queue,
      imports: this.imports,
      webhooks: this.webhookSetup,
      encryptionKey: deps.encryptionKey,
      clock,
    });
  }

  /** The queue is needed to accept edits; workers are optional so a process can serve HTTP only. */
  async start({ workers }: { workers: boolean }): Promise<void> {
    await this.queue.start();
    if (workers) {
      await this.worker.start();
      await this.queue.workNightlyChecks((propertyId) => this.nightlyCheck(propertyId));
      await this.queue.workTicks(() => this.tick());
      // Whatever fell due while no worker ran (a date change, a nightly check) is made up now.
      await this.tick();
      await this.pullScheduler.tick();
      this.sweeper.start();
      this.pullScheduler.start();
      this.workersRunning = true;
    }
  }

  /** Sends the wake-ups of recent commits, lets running jobs finish for up to `timeoutMs`, and stops. */
  async stop(timeoutMs?: number): Promise<void> {
    if (this.workersRunning) {
      await this.sweeper.stop();
      await this.pullScheduler.stop();
    }
    await this.queue.stop(timeoutMs);
  }

  /** Connects a property, or changes its Beds24 property or toggles (see ConnectService). */
  connect(request: ConnectRequest): Promise<Beds24Config> {
    return this.connector.connect(request);
  }

  /** An operator's full resync of a connected property; answers the resync job's id. */
  resync(propertyId: string, range: { from?: CalendarDate; to?: CalendarDate } = {}): Promise<string | null> {
    return this.resyncs.request(propertyId, range);
  }

  /** An operator's full import of a connected property (pulls on): answers the import job's id. */
  pull(propertyId: string): Promise<string | null> {
    return this.imports.requestFullImport(propertyId);
  }

  /**
   * The import job's work now, in this process: a due pull, then the waiting webhook deliveries. The
   * service behind it (`BookingImportService.importChanges` and `pullNow`) is what other services call.
   */
  importChanges(propertyId: string, options: ImportOptions): Promise<ImportSummary> {
    return this.imports.importChanges(propertyId, options);
  }

  /** A pull now (all current and future bookings with `full`), applied before it returns. */
  pullNow(propertyId: string, options: PullNowOptions): Promise<ImportSummary> {
    return this.imports.pullNow(propertyId, options);
  }

  /** The drift check now; undefined when the property is not connected or its pushes are off. */
  verify(
    propertyId: string,
    options: { repair?: boolean; priority?: Beds24Priority } = {},
  ): Promise<DriftReport | undefined> {
    return this.verifier.verify(propertyId, options);
  }

  /**
   * The dashboard's calendar grid of a property over [from, to] (default: 30 nights from today in its time
   * zone): desired next to last accepted per Beds24 room and night, with what waits, was refused or drifted.
   */
  async calendarGrid(propertyId: string, range: { from?: CalendarDate; to?: CalendarDate }): Promise<CalendarGrid> {
    const deps = { db: this.db, availability: this.availability, clock: this.clock, horizonDays: this.horizonDays };
    return calendarGrid(deps, propertyId, await gridRange(deps, propertyId, range));
  }

  /** One property's sync at a glance, or every property's summed. */
  status(propertyId?: string): Promise<SyncStatus> {
    return readSyncStatus({ db: this.db, clock: this.clock, queue: this.queue, gate: this.gate }, propertyId);
  }

  /** Puts one failed item back in the queue (404 unknown, 409 not failed). */
  retryFailure(id: string): Promise<FailureRow> {
    return retryFailure(this.db, this.queue, id);
  }

  /** Puts every failed item (of one property, or all) back in the queue; answers how many. */
  retryFailed(propertyId?: string): Promise<number> {
    return retryFailed(this.db, this.queue, propertyId);
  }

  /** Each minute, for every property: the date change and the nightly check, when due in its time zone. */
  tick(): Promise<void> {
    return this.calendarTick.run();
  }

  /**
   * The nightly job: the drift check reads Beds24 back (two calls) and queues only what differs (the
   * forgotten nights and the differing bookings), then the usual change-only push runs. Nothing that
   * Beds24 already holds is sent again.
   */
  async nightlyCheck(propertyId: string): Promise<void> {
    if (!isPushEnabled(await loadConfig(this.db, propertyId))) return;
    await this.verifier.verify(propertyId, { repair: true, priority: 'low' });
    await recordChanges(this.db, propertyId, [{ kind: 'availability', entityId: 'calendar' }]);
    this.queue.wakeAfterCommit(this.db, propertyId, ['availability']);
  }

  /** One tick of the pull scheduler now (due pulls, lost webhook wake-ups); answers how many jobs it sent. */
  schedulePulls(): Promise<number> {
    return this.pullScheduler.tick();
  }

  /** Points the property's Beds24 booking webhook at PUBLIC_URL (demo mode: at each start, its port changes). */
  async configureWebhooks(propertyId: string): Promise<WebhookSetupResult> {
    const config = await loadConfig(this.db, propertyId);
    return config === undefined ? 'skipped' : this.webhookSetup.configure(config);
  }

  /** One pass of the outbox sweeper now; answers how many jobs it sent. */
  sweep(): Promise<number> {
    return this.sweeper.sweep();
  }

  /** A change-only push of the property's calendar, now, outside the queue (it waits for credits). */
  pushCalendar(propertyId: string): Promise<PushSummary> {
    return this.availability.pushCalendar(propertyId);
  }

  /** Runs one job in this process, as a worker would have. */
  runJob(data: SyncJobData, attempt: Pick<Job<SyncJobData>, 'id' | 'retryCount'>): Promise<JobVerdict> {
    return this.worker.handle(data, attempt);
  }

  /** Every pg-boss schedule on the database (one is expected: the minute tick). */
  schedules(): Promise<Array<{ name: string; key: string; cron: string }>> {
    return this.queue.schedules();
  }
}
