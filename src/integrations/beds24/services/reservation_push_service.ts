import type { Clock } from '../../../clock.ts';
import type { Db, Knex } from '../../../db.ts';
import type { Logger } from '../../../logger.ts';
import type { ReservationRow } from '../../../pms/reservations/reservation_schemas.ts';
import type { Beds24Client, ItemResult } from '../client/beds24_client.ts';
import { Beds24TransientError } from '../client/beds24_errors.ts';
import { BOOKING_STATUSES } from '../client/beds24_schemas.ts';
import {
  BOOKING_BODY_LIMITS,
  MARKER_FIELD,
  footprintOfPlan,
  movedCells,
  planBookingPush,
  reservationIdFromMarker,
  toBookingBatches,
  type BookingFootprint,
  type BookingPlan,
  type ReservationSnapshot,
} from '../mappers/index.ts';
import { emptySummary, type PushLatency, type PushOptions, type PushSummary } from '../beds24_sync_types.ts';
import { isPushEnabled, loadConfig, recordPushed, type Beds24Config } from '../store/config_store.ts';
import type { SyncQueue } from '../queue/sync_queue.ts';
import { forgetCellsPushedSince } from '../store/calendar_state_store.ts';
import { recordFailure, resolveFailures } from '../store/failures_store.ts';
import {
  clearChanges,
  oldestChangeAgeOf,
  takePendingChanges,
  recordChanges,
  type PendingChange,
} from '../store/outbox_store.ts';
import { reservationsToPush, setSyncState, type SyncStateFields } from '../store/reservation_sync_store.ts';
import type { Beds24Connections } from './beds24_connections.ts';

export interface ReservationPushServiceDeps {
  db: Knex;
  connections: Beds24Connections;
  clock: Clock;
  logger: Logger;
  /** Outbox rows read and planned at a time; their writes go in as few requests as Beds24's limits allow. */
  batchSize?: number;
  /** Wakes the calendar push when a booking write asks for nights to be sent again. */
  queue?: Pick<SyncQueue, 'wakeAfterCommit'>;
  latency?: PushLatency;
}

interface LoadedReservation extends ReservationSnapshot {
  reservation: ReservationRow;
  createSentAt: Date | null;
  pushedFootprint: BookingFootprint | null;
}

type Sendable = { snapshot: LoadedReservation; plan: Exclude<BookingPlan, { action: 'skip' }> };

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
  private readonly queue: Pick<SyncQueue, 'wakeAfterCommit'> | undefined;
  private readonly latency: PushLatency | undefined;

  constructor(deps: ReservationPushServiceDeps) {
    this.db = deps.db;
    this.connections = deps.connections;
    this.clock = deps.clock;
    this.logger = deps.logger;
    this.batchSize = deps.batchSize ?? BOOKING_BODY_LIMITS.maxItems;
    this.latency = deps.latency;
    this.queue = deps.queue;
  }

  /** The worker's entry: everything in the property's reservation outbox, in batches. */
  async pushPending(propertyId: string, options: PushOptions): Promise<PushSummary> {
    const summary = emptySummary();
    const config = await loadConfig(this.db, propertyId);
    if (!isPushEnabled(config)) return summary;
    const pending = await takePendingChanges(this.db, propertyId, ['reservations']);
    for (let i = 0; i < pending.length; i += this.batchSize) {
      await this.pushBatch(config, pending.slice(i, i + this.batchSize), options, summary);
    }
    return summary;
  }

  private async pushBatch(
    config: Beds24Config,
    pending: PendingChange[],
    options: PushOptions,
    summary: PushSummary,
  ): Promise<void> {
    const client = this.connections.clientFor(config);
    const loaded = await reservationsToPush(
      this.db,
      pending.map((p) => p.entity_id),
    );
    const vanished = pending.filter((p) => !loaded.some((l) => l.reservation.id === p.entity_id));
    await clearChanges(this.db, config.property_id, vanished);

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
    await clearChanges(this.db, config.property_id, pushed(pending, skipped));
    summary.skipped += skipped.length;
    for (const body of toBookingBatches(sendable, (s) => s.plan.booking)) {
      await this.send(config, client, body, pending, options, summary);
    }
  }

  private async send(
    config: Beds24Config,
    client: Beds24Client,
    sendable: Sendable[],
    pending: PendingChange[],
    options: PushOptions,
    summary: PushSummary,
  ): Promise<void> {
    const creates = sendable.filter((s) => s.plan.action === 'create').map((s) => s.snapshot.reservation.id);
    await this.setSyncState(this.db, creates, { create_sent_at: this.clock.now() });
    const editedAt = await this.oldestEditAt(
      config.property_id,
      sendable.map((s) => s.snapshot.reservation.id),
    );

    let results: ItemResult[];
    try {
      summary.calls += 1;
      results = await client.postBookings(
        sendable.map((s) => s.plan.booking),
        options,
      );
    } catch (error) {
      const maybeApplied = error instanceof Beds24TransientError && error.ambiguous;
      if (!maybeApplied) await this.setSyncState(this.db, creates, { create_sent_at: null });
      throw error;
    }
    await this.applyResults(config, sendable, results, pending, summary, editedAt, options.calendarFollows === true);
    if (editedAt !== null) {
      this.latency?.observe({ kind: 'reservations' }, (this.clock.now().getTime() - editedAt.getTime()) / 1000);
    }
  }

  /** When the oldest of these reservations' waiting edits was made, on the injected clock's time line. */
  private async oldestEditAt(propertyId: string, reservationIds: string[]): Promise<Date | null> {
    // The outbox is stamped by the database's clock: its age carries the time over to ours.
    const age = await oldestChangeAgeOf(this.db, propertyId, 'reservations', reservationIds);
    return age === null ? null : new Date(this.clock.now().getTime() - age * 1000);
  }

  /**
   * Beds24 may move a written numAvail by itself when a booking changes (an account that decrements it
   * does), our own booking writes included. A calendar write that already counted an edit and reached
   * Beds24 before the edit's booking write would then end off by the units the booking moved (a cancelled
   * stay giving its unit back twice): those of the moved nights written since the edit are sent again,
   * after the booking. Written before the edit, they differ from what the PMS wants and go out anyway.
   * In the transaction that records the footprint written, so a crash cannot lose them. They are sent by
   * the calendar run this booking write is part of, when there is one, else by a calendar job of their own.
   */
  private async resendMovedNights(
    trx: Knex.Transaction,
    propertyId: string,
    moved: Array<{ beds24RoomId: number; date: string }>,
    since: Date,
    calendarFollows: boolean,
  ): Promise<void> {
    const forgotten = await forgetCellsPushedSince(trx, propertyId, moved, since);
    if (forgotten === 0) return;
    await recordChanges(trx, propertyId, [{ kind: 'availability', entityId: 'calendar' }]);
    if (!calendarFollows) this.queue?.wakeAfterCommit(trx, propertyId, ['availability']);
  }

  private async applyResults(
    config: Beds24Config,
    sendable: Sendable[],
    results: ItemResult[],
    pending: PendingChange[],
    summary: PushSummary,
    editedAt: Date | null,
    calendarFollows: boolean,
  ): Promise<void> {
    const now = this.clock.now();
    const done: string[] = [];
    const moved: Array<{ beds24RoomId: number; date: string }> = [];
    await this.db.transaction(async (trx) => {
      for (const [index, { snapshot, plan }] of sendable.entries()) {
        const result = results[index] as ItemResult;
        const id = snapshot.reservation.id;
        const createdId = plan.action === 'create' ? result.raw.new?.id : undefined;
        // Beds24 may create the booking and still fail the item on a detail: keep the id it gave.
        if (createdId !== undefined) await trx('reservations').where({ id }).update({ beds24_booking_id: createdId });
        if (result.ok) {
          if (plan.action === 'create' && createdId === undefined) {
            this.logger.warn(
              { reservation_id: id },
              'Beds24 created a booking without returning its id; will look it up',
            );
            continue;
          }
          const footprint = footprintOfPlan(plan);
          moved.push(...movedCells(snapshot.pushedFootprint, footprint));
          await this.setSyncState(trx, [id], {
            state: 'synced',
            last_pushed_at: now,
            last_error: null,
            create_sent_at: null,
            pushed_beds24_room_id: footprint?.beds24RoomId ?? null,
            pushed_arrival: footprint?.arrival ?? null,
            pushed_departure: footprint?.departure ?? null,
          });
          await resolveFailures(trx, config.property_id, 'reservation', [id]);
          summary[plan.action === 'create' ? 'created' : plan.action === 'update' ? 'updated' : 'cancelled'] += 1;
        } else {
          await this.setSyncState(trx, [id], {
            state: 'failed',
            last_error: result.error.message,
            create_sent_at: null,
          });
          await recordFailure(trx, { propertyId: config.property_id, kind: 'reservation', entityId: id }, result.error);
          summary.failed += 1;
        }
        done.push(id);
      }
      if (editedAt !== null && moved.length > 0) {
        await this.resendMovedNights(trx, config.property_id, moved, editedAt, calendarFollows);
      }
      await recordPushed(trx, config.property_id, now);
      // With the results: an edit made from now on is a new change (a new push at once), never one that
      // looks still carried by this push.
      await clearChanges(trx, config.property_id, pushed(pending, done));
    });
  }

  /** Creates that may have reached Beds24 without us hearing back: find them by our marker and take their ids. */
  private async adoptLostCreates(
    client: Beds24Client,
    config: Beds24Config,
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
        status: [...BOOKING_STATUSES],
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
        this.logger.info(
          { reservation_id: snapshot.reservation.id, beds24_booking_id: found, marker: MARKER_FIELD },
          'adopted a booking whose create answer was lost',
        );
        await trx('reservations').where({ id: snapshot.reservation.id }).update({ beds24_booking_id: found });
        snapshot.reservation.beds24_booking_id = found;
      }
    });
  }

  private setSyncState(db: Db, ids: string[], fields: SyncStateFields): Promise<void> {
    return setSyncState(db, ids, fields, this.clock.now());
  }
}

/** The outbox rows of these reservations, with the versions the push read. */
function pushed(pending: PendingChange[], reservationIds: string[]): PendingChange[] {
  const ids = new Set(reservationIds);
  return pending.filter((change) => ids.has(change.entity_id));
}
