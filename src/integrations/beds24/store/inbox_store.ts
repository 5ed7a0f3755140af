import type { Db } from '../../../db.ts';
import type { WebhookInboxTable, WebhookKind } from './tables.ts';

/** What a webhook delivery tells, as stored: which booking (or room) of which Beds24 property changed. */
export interface Delivery {
  kind: WebhookKind;
  beds24PropertyId: number;
  beds24BookingId: number | null;
  beds24RoomId: number | null;
  status: string | null;
  modifiedTime: string | null;
}

/**
 * Stores the delivery once for every PMS property connected to its Beds24 property with pulls on, in one
 * statement; answers those properties (none: the delivery is ignored, nothing is stored).
 */
export async function storeDelivery(db: Db, delivery: Delivery, receivedAt: Date): Promise<string[]> {
  const { rows }: { rows: Array<{ property_id: string }> } = await db.raw(
    `insert into beds24_webhook_inbox
       (property_id, kind, beds24_property_id, beds24_booking_id, beds24_room_id, status, modified_time, received_at)
     select c.property_id, ?, ?, ?, ?, ?, ?, ?
     from beds24_config c
     where c.beds24_property_id = ? and c.refresh_token is not null and c.sync_enabled and c.pull_sync_enabled
     returning property_id`,
    [
      delivery.kind,
      delivery.beds24PropertyId,
      delivery.beds24BookingId,
      delivery.beds24RoomId,
      delivery.status,
      delivery.modifiedTime,
      receivedAt,
      delivery.beds24PropertyId,
    ],
  );
  return rows.map((row) => row.property_id);
}

export type WaitingDelivery = Pick<
  WebhookInboxTable,
  'id' | 'kind' | 'beds24_booking_id' | 'beds24_room_id' | 'modified_time' | 'received_at'
>;

/** The property's deliveries not processed yet and not waiting for a later read, oldest first. */
export function waitingDeliveries(db: Db, propertyId: string, now: Date, limit = 5000): Promise<WaitingDelivery[]> {
  return db('beds24_webhook_inbox')
    .where({ property_id: propertyId })
    .whereNull('processed_at')
    .where((q) => {
      q.whereNull('not_before').orWhere('not_before', '<=', now);
    })
    .orderBy('id')
    .limit(limit)
    .select('id', 'kind', 'beds24_booking_id', 'beds24_room_id', 'modified_time', 'received_at');
}

export async function markProcessed(db: Db, ids: number[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await db('beds24_webhook_inbox').whereIn('id', ids).whereNull('processed_at').update({ processed_at: now });
}

/** Hints left for their booking's next allowed read (or the next pull, whichever comes first). */
export async function deferDeliveries(db: Db, ids: number[], until: Date): Promise<void> {
  if (ids.length === 0) return;
  await db('beds24_webhook_inbox').whereIn('id', ids).whereNull('processed_at').update({ not_before: until });
}

/**
 * A pull that started at `pullStart` read Beds24's current state of every booking changed before it: the
 * deliveries received until then are covered.
 */
export async function markCoveredByPull(db: Db, propertyId: string, pullStart: Date, now: Date): Promise<number> {
  return db('beds24_webhook_inbox')
    .where({ property_id: propertyId })
    .whereNull('processed_at')
    .where('received_at', '<=', pullStart)
    .update({ processed_at: now });
}

/** Deliveries processed before `before` are of no further use. */
export async function deleteProcessedBefore(db: Db, propertyId: string, before: Date): Promise<void> {
  await db('beds24_webhook_inbox').where({ property_id: propertyId }).where('processed_at', '<', before).delete();
}

export interface InboxFigures {
  received: number;
  waiting: number;
  lastReceivedAt: Date | null;
}

/** Deliveries received since `since`, those not processed yet, and the last one's time; one property or all. */
export async function inboxFigures(db: Db, since: Date, propertyId?: string): Promise<InboxFigures> {
  const { rows }: { rows: InboxFigures[] } = await db.raw(
    `select count(*) filter (where received_at >= ?)::int as received,
            count(*) filter (where processed_at is null)::int as waiting,
            max(received_at) as "lastReceivedAt"
     from beds24_webhook_inbox where ?::uuid is null or property_id = ?::uuid`,
    [since, propertyId ?? null, propertyId ?? null],
  );
  return rows[0] ?? { received: 0, waiting: 0, lastReceivedAt: null };
}
