import type { Clock } from '../../clock.ts';
import type { Knex } from '../../db.ts';
import type { Logger } from '../../logger.ts';
import { Beds24ClientFactory, type Beds24ClientFactoryOptions } from './client/beds24_client_factory.ts';
import { SyncMetrics } from './metrics/sync_metrics.ts';
import { createSyncHooks, type SyncHooks } from './hooks/sync_hooks.ts';
import { OutboxSweeper } from './queue/outbox_sweeper.ts';
import type { QueueTuning } from './queue/queue_config.ts';
import { SyncQueue } from './queue/sync_queue.ts';
import { SyncWorker } from './queue/sync_worker.ts';
import { AvailabilityPushService } from './services/availability_push_service.ts';
import { Beds24Connections } from './services/beds24_connections.ts';
import { isPushEnabled, loadConfig, type Beds24Config } from './store/config_store.ts';
import { recordChanges } from './store/outbox_store.ts';
import { Beds24RoomCatalog } from './services/room_catalog.ts';
import { Beds24Connector } from './services/beds24_connector.ts';
import { CalendarTick } from './services/calendar_tick.ts';
import { ConnectService, type ConnectRequest } from './services/connect_service.ts';
import { DriftVerifier } from './services/drift_verifier.ts';
import { PropertyResync } from './services/property_resync.ts';
import { ReservationPushService } from './services/reservation_push_service.ts';

export interface Beds24SyncOptions {
  db: Knex;
  databaseUrl: string;
  beds24ApiUrl: string;
  encryptionKey: string;
  horizonDays: number;
  logger: Logger;
  clock: Clock;
  tuning?: Partial<QueueTuning>;
  client?: Pick<Beds24ClientFactoryOptions, 'reserves' | 'transport'>;
  sweepIntervalMs?: number;
}

/**
 * The whole push sync, wired: controller hooks → outbox + pg-boss → worker → push services → mappers →
 * credit-aware client. The HTTP app uses `hooks` and the admin routes; the server starts the workers.
 */
export class Beds24Sync {
  readonly factory: Beds24ClientFactory;
  readonly connections: Beds24Connections;
  readonly queue: SyncQueue;
  readonly hooks: SyncHooks;
  readonly rooms: Beds24RoomCatalog;
  readonly reservations: ReservationPushService;
  readonly availability: AvailabilityPushService;
  readonly worker: SyncWorker;
  readonly sweeper: OutboxSweeper;
  readonly resync: PropertyResync;
  readonly metrics: SyncMetrics;
  readonly verifier: DriftVerifier;
  readonly calendarTick: CalendarTick;
  private readonly connector: ConnectService;
  readonly options: Beds24SyncOptions;
  private workersRunning = false;

  constructor(options: Beds24SyncOptions) {
    this.options = options;
    const { db, logger, clock } = options;
    this.queue = new SyncQueue({ connectionString: options.databaseUrl, db, logger, tuning: options.tuning });
    this.metrics = new SyncMetrics({ db, queue: this.queue });
    this.factory = new Beds24ClientFactory({
      counters: this.metrics,
      db,
      baseUrl: options.beds24ApiUrl,
      encryptionKey: options.encryptionKey,
      logger,
      clock,
      ...options.client,
    });
    this.connections = new Beds24Connections(this.factory);
    this.rooms = new Beds24RoomCatalog({ db, connections: this.connections, clock, logger });
    this.hooks = createSyncHooks({ queue: this.queue, rooms: this.rooms, clock });
    this.reservations = new ReservationPushService({ db, connections: this.connections, clock, logger });
    this.availability = new AvailabilityPushService({ db, connections: this.connections, clock, logger, horizonDays: options.horizonDays });
    this.worker = new SyncWorker({
      db,
      queue: this.queue,
      logger,
      clock,
      latency: this.metrics.pushLatency,
      handlers: {
        reservations: (propertyId, opts) => this.reservations.pushPending(propertyId, opts),
        availability: (propertyId, opts) => this.availability.pushPending(propertyId, opts),
        rates: (propertyId, opts) => this.availability.pushPending(propertyId, opts),
        resync: (propertyId, opts) => this.availability.pushPendingResyncs(propertyId, opts),
      },
    });
    this.sweeper = new OutboxSweeper({ db, queue: this.queue, logger, intervalMs: options.sweepIntervalMs });
    this.resync = new PropertyResync({ queue: this.queue, clock, horizonDays: options.horizonDays });
    this.verifier = new DriftVerifier({
      db,
      connections: this.connections,
      availability: this.availability,
      queue: this.queue,
      clock,
      logger,
      found: this.metrics.driftCells,
    });
    this.calendarTick = new CalendarTick({ db, queue: this.queue, clock });
    this.connector = new ConnectService({
      db,
      connector: new Beds24Connector(this.factory, clock),
      rooms: this.rooms,
      resync: this.resync,
      tick: this.calendarTick,
      queue: this.queue,
      encryptionKey: options.encryptionKey,
      clock,
    });
  }

  /** Connects a property, or changes its Beds24 property or toggles (see ConnectService). */
  connect(request: ConnectRequest): Promise<Beds24Config> {
    return this.connector.connect(request);
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
      this.sweeper.start();
      this.workersRunning = true;
    }
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
    if (!isPushEnabled(await loadConfig(this.options.db, propertyId))) return;
    await this.verifier.verify(propertyId, { repair: true, priority: 'low' });
    await recordChanges(this.options.db, propertyId, [{ kind: 'availability', entityId: 'calendar' }]);
    this.queue.wakeAfterCommit(this.options.db, propertyId, ['availability']);
  }

  async stop(timeoutMs?: number): Promise<void> {
    if (this.workersRunning) await this.sweeper.stop();
    await this.queue.stop(timeoutMs);
  }
}
