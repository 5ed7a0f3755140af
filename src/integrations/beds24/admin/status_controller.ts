import type { RequestHandler } from 'express';
import type { Knex } from '../../../db.ts';
import { NotFoundError } from '../../../errors.ts';
import { parse } from '../../../http/validate.ts';
import type { CreditGate } from '../client/credit_gate.ts';
import { accountKeyFor } from '../client/beds24_client_factory.ts';
import { JOB_KINDS, type JobKind } from '../queue/queue_config.ts';
import type { SyncQueue } from '../queue/sync_queue.ts';
import type { Beds24ConfigRow } from '../beds24_sync_types.ts';
import { StatusQuery } from './admin_schemas.ts';

export interface StatusControllerDeps {
  db: Knex;
  queue: SyncQueue;
  gate: CreditGate;
}

const CHANGE_KIND: Record<JobKind, string> = { reservations: 'reservation', availability: 'availability', rates: 'rates', resync: 'resync' };

/** One property's sync at a glance (or every property's, summed, without `property_id`). */
export function createStatusController({ db, queue, gate }: StatusControllerDeps) {
  const statusHandler: RequestHandler = async (req, res) => {
    const { property_id } = parse(StatusQuery, req.query, 'query');
    let config: Beds24ConfigRow | undefined;
    if (property_id !== undefined) {
      if (!(await db('properties').where({ id: property_id }).first('id'))) throw new NotFoundError('property', property_id);
      config = await db('beds24_config').where({ property_id }).first();
    }
    const scoped = <T extends Knex.QueryBuilder>(query: T): T => (property_id ? (query.where({ property_id }) as T) : query);

    const outbox: Array<{ kind: string; count: number; oldest: Date }> = await scoped(db('beds24_pending_changes'))
      .groupBy('kind')
      .select('kind', db.raw('count(*)::int as count'), db.raw('min(first_queued_at) as oldest'));
    const jobs = await queue.depth(db, property_id);
    const queueDepth = Object.fromEntries(
      JOB_KINDS.map((kind) => [
        kind,
        {
          pending_changes: outbox.find((o) => o.kind === CHANGE_KIND[kind])?.count ?? 0,
          queued: jobs.filter((j) => j.kind === kind && j.state !== 'active').reduce((n, j) => n + j.count, 0),
          running: jobs.filter((j) => j.kind === kind && j.state === 'active').reduce((n, j) => n + j.count, 0),
        },
      ]),
    );
    const oldest = outbox.reduce<Date | undefined>((min, o) => (min === undefined || o.oldest < min ? o.oldest : min), undefined);
    const failed = (await scoped(db('beds24_sync_failures')).where({ state: 'failed' }).count({ n: '*' }).first()) as { n: string };
    const lastPush = (await scoped(db('beds24_config')).max({ last: 'last_push_at' }).first()) as { last: Date | null } | undefined;
    const credits = config ? await gate.read(accountKeyFor(config.property_id, config.beds24_account_id)) : { remaining: null, resetsInSeconds: null };

    res.json({
      property_id: property_id ?? null,
      connected: config ? config.refresh_token !== null : null,
      sync_enabled: config?.sync_enabled ?? null,
      push_sync_enabled: config?.push_sync_enabled ?? null,
      queue_depth: queueDepth,
      failed_jobs: Number(failed.n),
      oldest_pending_change_age_s: oldest ? Math.max(0, Math.round((Date.now() - oldest.getTime()) / 1000)) : null,
      last_successful_push_at: lastPush?.last ?? null,
      credits: { remaining: credits.remaining, resets_in_s: credits.resetsInSeconds },
    });
  };

  return { statusHandler };
}
