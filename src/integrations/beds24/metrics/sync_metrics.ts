import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Knex } from '../../../db.ts';
import { PGBOSS_SCHEMA } from '../queue/sync_queue.ts';
import { SYNC_QUEUE } from '../queue/queue_config.ts';

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

  constructor(db: Knex) {
    const registers = [this.registry];
    this.calls = new Counter({ name: 'beds24_calls_total', help: 'Beds24 API calls by endpoint and outcome', labelNames: ['endpoint', 'outcome'], registers });
    this.credits = new Counter({ name: 'beds24_credits_spent_total', help: 'Beds24 credits spent, from x-request-cost', labelNames: ['endpoint'], registers });
    this.pushLatency = new Histogram({
      name: 'beds24_push_latency_seconds',
      help: 'Time from the oldest change a push carried to the push being done',
      labelNames: ['kind'],
      buckets: [0.5, 1, 2, 3, 5, 10, 30, 60, 300, 1800],
      registers,
    });
    this.driftCells = new Counter({ name: 'beds24_drift_found_total', help: 'Calendar cells and bookings found different in Beds24 by verify', labelNames: ['kind'], registers });

    new Gauge({
      name: 'beds24_jobs',
      help: 'Sync jobs by kind and state (created, retry, active, failed)',
      labelNames: ['kind', 'state'],
      registers,
      async collect() {
        this.reset();
        const { rows }: { rows: Array<{ kind: string; state: string; n: number }> } = await db.raw(
          `select data->>'kind' as kind, state, count(*)::int as n from ${PGBOSS_SCHEMA}.job
           where name = ? and state in ('created', 'retry', 'active', 'failed') group by 1, 2`,
          [SYNC_QUEUE],
        );
        for (const row of rows) this.set({ kind: row.kind, state: row.state }, row.n);
      },
    });
    new Gauge({
      name: 'beds24_failed_items',
      help: 'Open entries of the failed-jobs list',
      registers,
      async collect() {
        const row = (await db('beds24_sync_failures').where({ state: 'failed' }).count({ n: '*' }).first()) as { n: string };
        this.set(Number(row.n));
      },
    });
    new Gauge({
      name: 'beds24_credits_remaining',
      help: 'Credits left in the current five-minute window, as last seen, per Beds24 account',
      labelNames: ['account'],
      registers,
      async collect() {
        this.reset();
        const rows: Array<{ account_key: string; remaining: number | null }> = await db('beds24_credit_meter').select('account_key', 'remaining');
        for (const row of rows) if (row.remaining !== null) this.set({ account: row.account_key }, row.remaining);
      },
    });
    new Gauge({
      name: 'beds24_oldest_pending_change_age_seconds',
      help: 'Age of the oldest change not yet in Beds24 (0 when none)',
      registers,
      async collect() {
        const row = (await db('beds24_pending_changes').min({ oldest: 'first_queued_at' }).first()) as { oldest: Date | null };
        this.set(row.oldest ? Math.max(0, (Date.now() - row.oldest.getTime()) / 1000) : 0);
      },
    });
  }
}
