import type { Clock } from '../../../clock.ts';
import type { Knex } from '../../../db.ts';
import { unassignedCounts } from '../../../pms/reservations/reservations_repository.ts';
import { accountKeyFor } from '../client/beds24_client_factory.ts';
import type { CreditGate } from '../client/credit_gate.ts';
import { SYNC_KINDS, type SyncKind } from '../queue/job_kinds.ts';
import type { SyncQueue } from '../queue/sync_queue.ts';
import { loadConfig, pushOverview } from '../store/config_store.ts';
import { countFailed } from '../store/failures_store.ts';
import { importOutcomes } from '../store/imported_bookings_store.ts';
import { inboxFigures } from '../store/inbox_store.ts';
import { outboxByKind } from '../store/outbox_store.ts';
import { lastPullAt } from '../store/pull_state_store.ts';

export interface SyncStatus {
  property_id: string | null;
  connected: boolean | null;
  sync_enabled: boolean | null;
  push_sync_enabled: boolean | null;
  pull_sync_enabled: boolean | null;
  /**
   * Connected with `sync_enabled` or `push_sync_enabled` off: edits are kept in `queue_depth.*.pending_changes`
   * and pushed when both are on again. Without a property: whether any connected property is paused.
   */
  paused: boolean;
  queue_depth: Record<SyncKind, { pending_changes: number; queued: number; running: number }>;
  failed_jobs: number;
  oldest_pending_change_age_s: number | null;
  last_successful_push_at: Date | null;
  credits: { remaining: number | null; resets_in_s: number | null };
  /** When the last successful pull of Beds24's bookings ended (the latest of all properties without one). */
  last_pull_at: Date | null;
  /** Reservations from Beds24 in an occupying status without a room: overbookings staff must solve. */
  unassigned_reservations: number;
  /** Webhook deliveries received in the last 24 hours, waiting to be processed, and the last one's time. */
  webhooks: { received_24h: number; waiting: number; last_received_at: Date | null };
  /** Beds24 bookings imported as reservations (ours and ignored ones not counted). */
  imported_bookings: number;
}

export interface SyncStatusDeps {
  db: Knex;
  clock: Clock;
  queue: Pick<SyncQueue, 'depth'>;
  gate: Pick<CreditGate, 'read'>;
}

/** One property's sync at a glance, or every property's summed when `propertyId` is undefined. */
export async function readSyncStatus(
  { db, clock, queue, gate }: SyncStatusDeps,
  propertyId?: string,
): Promise<SyncStatus> {
  const config = propertyId ? await loadConfig(db, propertyId) : undefined;
  const outbox = await outboxByKind(db, propertyId);
  const jobs = await queue.depth(db, propertyId);
  const count = (kind: SyncKind, running: boolean): number =>
    jobs.filter((j) => j.kind === kind && (j.state === 'active') === running).reduce((n, j) => n + j.count, 0);
  const queueDepth = Object.fromEntries(
    SYNC_KINDS.map((kind) => [
      kind,
      {
        pending_changes: outbox.find((o) => o.kind === kind)?.count ?? 0,
        queued: count(kind, false),
        running: count(kind, true),
      },
    ]),
  ) as SyncStatus['queue_depth'];
  const ages = outbox.map((o) => o.oldestAge);
  const oldestAge = ages.length > 0 ? Math.max(...ages) : undefined;
  const failed = await countFailed(db, propertyId);
  const { lastPushAt, paused } = await pushOverview(db, propertyId);
  const inbox = await inboxFigures(db, new Date(clock.now().getTime() - 86_400_000), propertyId);
  const unassigned = (await unassignedCounts(db, propertyId)).reduce((n, row) => n + row.n, 0);
  const outcomes = await importOutcomes(db, propertyId);
  const credits = config
    ? await gate.read(accountKeyFor(config.property_id, config.beds24_account_id))
    : { remaining: null, resetsInSeconds: null };

  return {
    property_id: propertyId ?? null,
    connected: config ? config.refresh_token !== null : null,
    sync_enabled: config?.sync_enabled ?? null,
    push_sync_enabled: config?.push_sync_enabled ?? null,
    pull_sync_enabled: config?.pull_sync_enabled ?? null,
    paused,
    queue_depth: queueDepth,
    failed_jobs: failed,
    oldest_pending_change_age_s: oldestAge === undefined ? null : Math.max(0, Math.round(oldestAge)),
    last_successful_push_at: lastPushAt,
    credits: { remaining: credits.remaining, resets_in_s: credits.resetsInSeconds },
    last_pull_at: await lastPullAt(db, propertyId),
    unassigned_reservations: unassigned,
    webhooks: { received_24h: inbox.received, waiting: inbox.waiting, last_received_at: inbox.lastReceivedAt },
    imported_bookings: outcomes.imported ?? 0,
  };
}
