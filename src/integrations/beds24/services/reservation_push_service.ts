import type { Clock } from '../../../clock.ts';
import type { Knex } from '../../../db.ts';
import type { Logger } from '../../../logger.ts';
import type { GuestRow } from '../../../pms/guests/guest_schemas.ts';
import type { ReservationRow } from '../../../pms/reservations/reservation_schemas.ts';
import type { Beds24Client, ItemResult } from '../client/beds24_client.ts';
import { Beds24TransientError } from '../client/beds24_errors.ts';
import type { BookingWrite } from '../client/beds24_schemas.ts';
import { MARKER_FIELD, planBookingPush, reservationIdFromMarker, type BookingPlan, type ReservationSnapshot } from '../mappers/index.ts';
import { emptySummary, type Beds24ConfigRow, type PushOptions, type PushSummary } from '../beds24_sync_types.ts';
import { isPushEnabled, loadBeds24Config, type Beds24Connections } from './beds24_connections.ts';
import { recordFailure, resolveFailures } from './sync_failures.ts';

export interface ReservationPushServiceDeps {
  db: Knex;
  connections: Beds24Connections;
  clock: Clock;
  logger: Logger;
  /** Bookings per POST /bookings; Beds24 takes up to 10,000 items and 1 MB, we stay far below. */
  batchSize?: number;
}

interface Pending {
  entity_id: string;
  version: number;
}

interface LoadedReservation extends ReservationSnapshot {
  reservation: ReservationRow;
  createSentAt: Date | null;
}

type Sendable = { snapshot: LoadedReservation; plan: Exclude<BookingPlan, { action: 'skip' }> };

const ALL_STATUSES = ['confirmed', 'request', 'new', 'cancelled', 'black', 'inquiry'] as const;
const LOOKUP_MARGIN_MS = 15 * 60_000;

/**
 * Brings Beds24's bookings in line with the PMS reservations named in a property's outbox. It reads the
 * current state, so however many edits a reservation had, one item goes out, and retries are harmless.
 *
 * Exactly once: before a create is sent, `create_sent_at` is committed; if the answer is then lost (or the
 * process dies), the next run looks for the booking by the PMS id we wrote into it (custom10) and adopts
 * it instead of creating a second one.
 */
export class ReservationPushService {
  private readonly db: Knex;
  private readonly connections: Beds24Connections;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly batchSize: number;

  constructor(deps: ReservationPushServiceDeps) {
    this.db = deps.db;
    this.connections = deps.connections;
    this.clock = deps.clock;
    this.logger = deps.logger;
    this.batchSize = deps.batchSize ?? 100;
  }

  /** Create or update one reservation in Beds24 now (Phase 2 name); the same decision as the worker's. */
  pushReservation(reservationId: string, options: PushOptions = { priority: 'critical' }): Promise<PushSummary> {
    return this.pushOne(reservationId, options);
  }

  updateReservation(reservationId: string, options: PushOptions = { priority: 'critical' }): Promise<PushSummary> {
    return this.pushOne(reservationId, options);
  }

  cancelReservation(reservationId: string, options: PushOptions = { priority: 'critical' }): Promise<PushSummary> {
    return this.pushOne(reservationId, options);
  }

  /** The worker's entry: everything in the property's reservation outbox, in batches. */
  async pushPending(propertyId: string, options: PushOptions): Promise<PushSummary> {
    const summary = emptySummary();
    const config = await loadBeds24Config(this.db, propertyId);
    if (!isPushEnabled(config)) return summary;
    const pending: Pending[] = await this.db('beds24_pending_changes')
      .where({ property_id: propertyId, kind: 'reservation' })
      .orderBy('first_queued_at')
      .select('entity_id', 'version');
    for (let i = 0; i < pending.length; i += this.batchSize) {
      await this.pushBatch(config, pending.slice(i, i + this.batchSize), options, summary);
    }
    return summary;
  }

  private async pushOne(reservationId: string, options: PushOptions): Promise<PushSummary> {
    const summary = emptySummary();
    const row: { property_id: string } | undefined = await this.db('reservations').where({ id: reservationId }).first('property_id');
    if (!row) return summary;
    const config = await loadBeds24Config(this.db, row.property_id);
    if (!isPushEnabled(config)) return summary;
    const version: { version: number } | undefined = await this.db('beds24_pending_changes')
      .where({ property_id: row.property_id, kind: 'reservation', entity_id: reservationId })
      .first('version');
    await this.pushBatch(config, [{ entity_id: reservationId, version: version?.version ?? -1 }], options, summary);
    return summary;
  }

  private async pushBatch(config: Beds24ConfigRow, pending: Pending[], options: PushOptions, summary: PushSummary): Promise<void> {
    const client = this.connections.clientFor(config);
    const loaded = await this.load(pending.map((p) => p.entity_id));
    const versions = new Map(pending.map((p) => [p.entity_id, p.version]));
    const vanished = pending.filter((p) => !loaded.some((l) => l.reservation.id === p.entity_id));
    await this.clearOutbox(config.property_id, vanished.map((p) => p.entity_id), versions);

    await this.adoptLostCreates(client, config, loaded, options, summary);

    const sendable: Sendable[] = [];
    const skipped: string[] = [];
    for (const snapshot of loaded) {
      const plan = planBookingPush(snapshot);
      if (plan.action === 'skip') skipped.push(snapshot.reservation.id);
      else sendable.push({ snapshot, plan });
    }
    await this.db.transaction(async (trx) => {
      await this.setSyncState(trx, skipped, { state: 'skipped' });
      await resolveFailures(trx, config.property_id, 'reservation', skipped);
    });
    await this.clearOutbox(config.property_id, skipped, versions);
    summary.skipped += skipped.length;
    if (sendable.length === 0) return;

    const creates = sendable.filter((s) => s.plan.action === 'create').map((s) => s.snapshot.reservation.id);
    await this.setSyncState(this.db, creates, { create_sent_at: this.clock.now() });

    let results: ItemResult[];
    try {
      summary.calls += 1;
      results = await client.postBookings(sendable.map((s) => s.plan.booking as BookingWrite), options);
    } catch (error) {
      const maybeApplied = error instanceof Beds24TransientError && error.ambiguous;
      if (!maybeApplied) await this.setSyncState(this.db, creates, { create_sent_at: null });
      throw error;
    }
    await this.applyResults(config, sendable, results, versions, summary);
  }

  private async applyResults(
    config: Beds24ConfigRow,
    sendable: Sendable[],
    results: ItemResult[],
    versions: Map<string, number>,
    summary: PushSummary,
  ): Promise<void> {
    const now = this.clock.now();
    const done: string[] = [];
    await this.db.transaction(async (trx) => {
      for (const [index, { snapshot, plan }] of sendable.entries()) {
        const result = results[index] as ItemResult;
        const id = snapshot.reservation.id;
        const createdId = plan.action === 'create' ? result.raw.new?.id : undefined;
        // Beds24 may create the booking and still fail the item on a detail: keep the id it gave.
        if (createdId !== undefined) await trx('reservations').where({ id }).update({ beds24_booking_id: createdId });
        if (result.ok) {
          if (plan.action === 'create' && createdId === undefined) {
            this.logger.warn({ reservation_id: id }, 'Beds24 created a booking without returning its id; will look it up');
            continue;
          }
          await this.setSyncState(trx, [id], { state: 'synced', last_pushed_at: now, last_error: null, create_sent_at: null });
          await resolveFailures(trx, config.property_id, 'reservation', [id]);
          summary[plan.action === 'create' ? 'created' : plan.action === 'update' ? 'updated' : 'cancelled'] += 1;
        } else {
          await this.setSyncState(trx, [id], { state: 'failed', last_error: result.error.message, create_sent_at: null });
          await recordFailure(trx, { propertyId: config.property_id, kind: 'reservation', entityId: id }, result.error);
          summary.failed += 1;
        }
        done.push(id);
      }
      await trx('beds24_config').where({ property_id: config.property_id }).update({ last_push_at: now });
    });
    await this.clearOutbox(config.property_id, done, versions);
  }

  /** Creates that may have reached Beds24 without us hearing back: find them by our marker and take their ids. */
  private async adoptLostCreates(
    client: Beds24Client,
    config: Beds24ConfigRow,
    loaded: LoadedReservation[],
    options: PushOptions,
    summary: PushSummary,
  ): Promise<void> {
    const uncertain = loaded.filter((l) => l.reservation.beds24_booking_id === null && l.createSentAt !== null);
    if (uncertain.length === 0) return;
    const since = Math.min(...uncertain.map((l) => (l.createSentAt as Date).getTime())) - LOOKUP_MARGIN_MS;
    summary.calls += 1;
    const bookings = await client.getBookings(
      {
        propertyId: [config.beds24_property_id],
        modifiedFrom: new Date(since).toISOString().slice(0, 19),
        departureFrom: '2000-01-01',
        status: [...ALL_STATUSES],
      },
      options,
    );
    const byMarker = new Map<string, number>();
    for (const booking of bookings) {
      const reservationId = reservationIdFromMarker(booking);
      if (reservationId !== undefined && !byMarker.has(reservationId)) byMarker.set(reservationId, booking.id);
    }
    await this.db.transaction(async (trx) => {
      for (const snapshot of uncertain) {
        const found = byMarker.get(snapshot.reservation.id);
        if (found === undefined) continue;
        this.logger.info({ reservation_id: snapshot.reservation.id, beds24_booking_id: found, marker: MARKER_FIELD }, 'adopted a booking whose create answer was lost');
        await trx('reservations').where({ id: snapshot.reservation.id }).update({ beds24_booking_id: found });
        snapshot.reservation.beds24_booking_id = found;
      }
    });
  }

  private async load(ids: string[]): Promise<LoadedReservation[]> {
    if (ids.length === 0) return [];
    const rows: Array<ReservationRow & { guest: GuestRow; room_beds24_id: number | null; create_sent_at: Date | null }> = await this.db('reservations as r')
      .join('guests as g', 'g.id', 'r.guest_id')
      .leftJoin('rooms as rm', 'rm.id', 'r.room_id')
      .leftJoin('beds24_reservation_sync as s', 's.reservation_id', 'r.id')
      .whereIn('r.id', ids)
      .select('r.*', 'rm.beds24_room_id as room_beds24_id', 's.create_sent_at', this.db.raw('row_to_json(g.*) as guest'));
    return rows.map(({ guest, room_beds24_id, create_sent_at, ...reservation }) => ({
      reservation,
      guest,
      beds24RoomId: room_beds24_id,
      createSentAt: create_sent_at,
    }));
  }

  private async setSyncState(db: Knex | Knex.Transaction, ids: string[], fields: Record<string, unknown>): Promise<void> {
    if (ids.length === 0) return;
    const rows = ids.map((reservation_id) => ({ reservation_id, state: 'pending', ...fields, updated_at: this.clock.now() }));
    await db('beds24_reservation_sync').insert(rows).onConflict('reservation_id').merge(Object.keys({ ...fields, updated_at: 0 }));
  }

  /**
   * Clears what was pushed, unless it changed again meanwhile (its version moved on). One statement, after
   * the results are recorded and outside their transaction: holding outbox rows while waiting for other
   * rows is how edits and the worker deadlock. A crash before it only means one harmless push again.
   */
  private async clearOutbox(propertyId: string, ids: string[], versions: Map<string, number>): Promise<void> {
    if (ids.length === 0) return;
    const sorted = [...ids].sort();
    await this.db.raw(
      `delete from beds24_pending_changes p
       using unnest(?::text[], ?::bigint[]) as done(entity_id, version)
       where p.property_id = ? and p.kind = 'reservation' and p.entity_id = done.entity_id and p.version = done.version`,
      [sorted, sorted.map((id) => versions.get(id) ?? -1), propertyId],
    );
  }
}
