import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Clock } from '../../../clock.ts';
import type { Knex } from '../../../db.ts';
import { unassignedCounts } from '../../../pms/reservations/reservations_repository.ts';
import { OUTBOX_KINDS, SYNC_KINDS } from '../queue/job_kinds.ts';
import type { SyncQueue } from '../queue/sync_queue.ts';
import { configuredPropertyIds } from '../store/config_store.ts';
import { creditsPerAccount } from '../store/credit_meter_store.ts';
import { failedPerProperty } from '../store/failures_store.ts';
import { oldestAgePerProperty, pendingPerPropertyAndKind } from '../store/outbox_store.ts';
import { lastPullPerProperty } from '../store/pull_state_store.ts';

const JOB_STATES = ['created', 'retry', 'active', 'failed'] as const;

export interface SyncMetricsDeps {
  db: Knex;
  queue: Pick<SyncQueue, 'jobCounts'>;
  clock: Clock;
}

/**
 * The sync's Prometheus metrics, on a registry of its own (one per app, so tests can run several).
 * Counters and the histogram move as pushes happen; the gauges are read from the database at each
 * scrape, so every process reports the same shared truth.
 */
export class SyncMetrics {
  readonly registry = new Registry();
  readonly calls: Counter<'endpoint' | 'outcome'>;
  readonly credits: Counter<'endpoint'>;
  readonly pushLatency: Histogram<'kind'>;
  readonly driftCells: Counter<'kind'>;
  readonly imports: Counter<'outcome'>;
  readonly webhooks: Counter<'outcome'>;

  constructor({ db, queue, clock }: SyncMetricsDeps) {
    const registers = [this.registry];
    this.calls = new Counter({
      name: 'beds24_calls_total',
      help: 'Beds24 API calls by endpoint and outcome',
      labelNames: ['endpoint', 'outcome'],
      registers,
    });
    this.credits = new Counter({
      name: 'beds24_credits_spent_total',
      help: 'Beds24 credits spent, from x-request-cost',
      labelNames: ['endpoint'],
      registers,
    });
    this.pushLatency = new Histogram({
      name: 'beds24_push_latency_seconds',
      help: 'Time from the oldest change a push carried to the push being done',
      labelNames: ['kind'],
      buckets: [0.5, 1, 2, 3, 5, 10, 30, 60, 300, 1800],
      registers,
    });
    this.driftCells = new Counter({
      name: 'beds24_drift_found_total',
      help: 'Calendar cells and bookings found different in Beds24 by verify',
      labelNames: ['kind'],
      registers,
    });
    this.imports = new Counter({
      name: 'beds24_imports_total',
      help: 'Beds24 bookings read by the import, by what became of them',
      labelNames: ['outcome'],
      registers,
    });
    this.webhooks = new Counter({
      name: 'beds24_webhooks_total',
      help: 'Beds24 webhook deliveries received (accepted, unauthorized, invalid, ignored)',
      labelNames: ['outcome'],
      registers,
    });

    new Gauge({
      name: 'beds24_jobs',
      help: 'Sync jobs by kind and state (created, retry, active, failed)',
      labelNames: ['kind', 'state'],
      registers,
      async collect() {
        const rows = await queue.jobCounts(db, JOB_STATES);
        this.reset();
        // Every kind and state has a sample, zero included, so an idle queue still shows on a graph.
        for (const kind of SYNC_KINDS) for (const state of JOB_STATES) this.set({ kind, state }, 0);
        for (const row of rows) this.set({ kind: row.kind, state: row.state }, row.count);
      },
    });
    new Gauge({
      name: 'beds24_failed_items',
      help: 'Open entries of the failed-jobs list, per property',
      labelNames: ['property'],
      registers,
      async collect() {
        const rows = await failedPerProperty(db);
        this.reset();
        for (const row of rows) this.set({ property: row.property_id }, row.n);
      },
    });
    new Gauge({
      name: 'beds24_pending_changes',
      help: 'Changes in the outbox not yet in Beds24, per property and kind',
      labelNames: ['property', 'kind'],
      registers,
      async collect() {
        const properties = await configuredPropertyIds(db);
        const rows = await pendingPerPropertyAndKind(db);
        this.reset();
        for (const property of properties) {
          for (const kind of OUTBOX_KINDS) this.set({ property, kind }, 0);
        }
        for (const row of rows) this.set({ property: row.property_id, kind: row.kind }, row.n);
      },
    });
    new Gauge({
      name: 'beds24_credits_remaining',
      help: 'Credits left in the current five-minute window, as last seen, per Beds24 account',
      labelNames: ['account'],
      registers,
      async collect() {
        const rows = await creditsPerAccount(db);
        this.reset();
        for (const row of rows) this.set({ account: row.account_key }, row.remaining);
      },
    });
    new Gauge({
      name: 'beds24_unassigned_reservations',
      help: 'Reservations from Beds24 without a room in an occupying status (overbookings), per property',
      labelNames: ['property'],
      registers,
      async collect() {
        const properties = await configuredPropertyIds(db);
        const rows = await unassignedCounts(db);
        this.reset();
        for (const property of properties) this.set({ property }, 0);
        for (const row of rows) this.set({ property: row.property_id }, row.n);
      },
    });
    new Gauge({
      name: 'beds24_pull_lag_seconds',
      help: "Age of the last successful pull of Beds24's bookings, per property pulling (+Inf before the first)",
      labelNames: ['property'],
      registers,
      async collect() {
        const rows = await lastPullPerProperty(db);
        const now = clock.now().getTime();
        this.reset();
        for (const row of rows) {
          const age = row.last_pull_at === null ? Infinity : Math.max(0, (now - row.last_pull_at.getTime()) / 1000);
          this.set({ property: row.property_id }, age);
        }
      },
    });
    new Gauge({
      name: 'beds24_oldest_pending_change_age_seconds',
      help: 'Age of the oldest change not yet in Beds24, per property (0 when none)',
      labelNames: ['property'],
      registers,
      async collect() {
        const rows = await oldestAgePerProperty(db);
        this.reset();
        for (const row of rows) this.set({ property: row.property_id }, Math.max(0, row.age ?? 0));
      },
    });
  }
}
