import type { Clock } from '../../../clock.ts';
import { inTransaction } from '../../../db/transaction.ts';
import type { Knex } from '../../../db.ts';
import { AppError, ConflictError, ValidationError } from '../../../errors.ts';
import type { Logger } from '../../../logger.ts';
import { isOccupying } from '../../../pms/common_schemas.ts';
import { findProperty } from '../../../pms/properties/properties_repository.ts';
import { insertGuest, lockGuest, updateGuest } from '../../../pms/guests/guests_repository.ts';
import {
  bookingsWithUnassignedUnits,
  insertReservation,
  isOwnBeds24Booking,
  lockImportedUnits,
  ownBeds24Bookings,
  updateReservationRow,
} from '../../../pms/reservations/reservations_repository.ts';
import type { ReservationRow } from '../../../pms/reservations/reservation_schemas.ts';
import { assignRoom } from '../../../pms/reservations/room_assignment.ts';
import { mappedBeds24Rooms } from '../../../pms/rooms/rooms_repository.ts';
import { daysBetween, todayIn } from '../../../utils/dates.ts';
import type { CallOptions } from '../client/beds24_client.ts';
import { BOOKING_STATUSES, type Beds24Booking, type BookingsQuery } from '../client/beds24_schemas.ts';
import type { Beds24Priority } from '../client/priority.ts';
import {
  bookingFingerprint,
  compareBookingVersion,
  modifiedSeconds,
  planBookingImport,
  type HeldBooking,
  type HeldUnit,
  type ImportPlan,
  type UnitPlan,
} from '../mappers/booking_import_mapper.ts';
import { footprintCells, reservationIdFromMarker } from '../mappers/reservation_mapper.ts';
import type { SyncQueue } from '../queue/sync_queue.ts';
import { forgetCells } from '../store/calendar_state_store.ts';
import { isPullEnabled, loadConfig, probeConnection, type Beds24Config } from '../store/config_store.ts';
import {
  importedBookings,
  lockBookingImport,
  lockedImportedBooking,
  recordImport,
  recordOwnBookings,
  recordReads,
  SETTLED_OUTCOMES,
  type ImportedBooking,
} from '../store/imported_bookings_store.ts';
import {
  deferDeliveries,
  deleteProcessedBefore,
  markCoveredByPull,
  markProcessed,
  waitingDeliveries,
  type WaitingDelivery,
} from '../store/inbox_store.ts';
import { recordChanges } from '../store/outbox_store.ts';
import {
  loadPullState,
  recordPull,
  requestFullImport,
  requestInventoryPull,
  requestPull,
  type PullState,
} from '../store/pull_state_store.ts';
import type { ImportOutcome } from '../store/tables.ts';
import type { Beds24Connections } from './beds24_connections.ts';

/**
 * Beds24 does not say in which time zone `modifiedFrom` is read. An incremental pull reads from its cursor
 * (the start of the last complete pull, UTC) less a day: more than any zone's offset (at most 14 h) plus
 * clock skew, so no change is missed whatever Beds24 assumes; the overlap costs no import (versions already
 * held are skipped), only the bookings changed that day read again.
 */
export const PULL_OVERLAP_SECONDS = 86_400;
/** An inventory webhook (SYNC_ROOM) starts an incremental pull at most once a minute per property. */
export const INVENTORY_PULL_SPACING_SECONDS = 60;
/** Bookings read by id in one `GET /bookings?id=..&id=..` (its URL stays far below any limit). */
const IDS_PER_READ = 100;
/** How far Beds24's clock may be ahead of ours when telling whether a read saw a whole second's changes. */
const SAME_SECOND_SKEW_SECONDS = 1;
/** Processed webhook deliveries are kept this long, for the status's figures. */
const INBOX_RETENTION_MS = 7 * 86_400_000;

export type ImportReason = 'job' | 'connect' | 'operator' | 'command_line' | 'before_push';

export interface ImportOptions {
  /** Who asked, for the log. */
  reason: ImportReason;
  priority: Beds24Priority;
  /** False (queue jobs): a call that would wait for credits throws Beds24CreditsDeferredError instead. */
  wait?: boolean;
  /** No Beds24 call is tried again past it. */
  deadline?: Date;
}

export interface PullNowOptions extends ImportOptions {
  /** All current and future bookings instead of those changed since the last pull. */
  full?: boolean;
  /** No call when the last complete pull started less than this long ago: what it read is fresh enough. */
  freshWithinMs?: number;
}

/** What one import run did. */
export interface ImportSummary {
  /** `none`, or the pull it made. */
  pull: 'none' | 'incremental' | 'full';
  /** Beds24 calls made (pages of pulls and reads by id). */
  calls: number;
  /** Bookings read by pulls, and by id (webhook hints). */
  pulled: number;
  read: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Not imported: ours, inquiries, unmapped rooms, invalid, not found, another property. */
  ignored: number;
  /** Units imported (or left) without a free room: overbookings. */
  unassigned: number;
  /** Hints left for their booking's next allowed read (the flood limit) or the next pull. */
  deferred: number;
  failed: number;
}

export function emptyImportSummary(): ImportSummary {
  return {
    pull: 'none',
    calls: 0,
    pulled: 0,
    read: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    ignored: 0,
    unassigned: 0,
    deferred: 0,
    failed: 0,
  };
}

/** Some bookings of a pull or a read could not be applied: the run is retried, the cursor stays. */
export class BookingImportError extends AppError {
  constructor(message: string) {
    super('beds24_import_failed', 500, message);
  }
}

export interface BookingImportServiceDeps {
  db: Knex;
  connections: Pick<Beds24Connections, 'clientFor'>;
  queue: Pick<SyncQueue, 'send' | 'wakeAfterCommit'>;
  clock: Clock;
  logger: Logger;
  /** BEDS24_PULL_INTERVAL_SECONDS: also the flood limit, at most one read by id per booking per interval. */
  pullIntervalSeconds: number;
  counter?: { inc(labels: { outcome: string }): void };
}

/** How the booking was read, and when that read started (what it shows is Beds24's state from then on). */
type ReadKind = { by: 'pull' | 'id'; at: Date };

/** `ended`: a booking the PMS does not hold whose stay ended before today (hotel time), as a full import skips it. */
type BookingOutcome = 'created' | 'updated' | 'unchanged' | 'ended' | Exclude<ImportOutcome, 'imported'>;

/**
 * Beds24's bookings into the PMS. Two triggers feed it: webhook deliveries (hints in the inbox: the
 * bookings they name are read again by id, in batches) and pulls (`GET /bookings` of the property, changed
 * since the cursor, or all current and future ones for a full import). Whatever the trigger, it applies
 * Beds24's current state, one booking per transaction, through the pure mapper
 * (`planBookingImport`) into the PMS's reservations, rooms assigned by `assignRoom`.
 *
 * - Identity: a booking carrying our marker or pushed by the PMS (a reservation of ours holds its id) is
 *   never imported; any other booking on a Beds24 room that a PMS room maps to is imported once (one
 *   reservation per unit, unique per property, booking and unit) and updated in place afterwards.
 * - Versions: per booking, the modifiedTime and a fingerprint of what was applied; an older or equal
 *   version changes nothing, so late, repeated and reordered deliveries are harmless.
 * - Crash safety: a booking is applied in one transaction with its version; a pull's cursor moves only
 *   after every booking it read is applied, so a crash (even between the read and the commit) means the
 *   next run reads again and skips what was committed.
 * - Credits: a booking is read by id at most once per pull interval, however many deliveries name it.
 */
export class BookingImportService {
  private readonly deps: BookingImportServiceDeps;

  constructor(deps: BookingImportServiceDeps) {
    this.deps = deps;
  }

  /**
   * The import job: a full import or an incremental pull when one is due, then the webhook deliveries
   * waiting in the inbox. Nothing (and no call) when the property is not connected or its pulls are off.
   */
  async importChanges(propertyId: string, options: ImportOptions): Promise<ImportSummary> {
    const summary = emptyImportSummary();
    const config = await loadConfig(this.deps.db, propertyId);
    if (!isPullEnabled(config)) return summary;
    let due = pullDue(await loadPullState(this.deps.db, propertyId));
    if (await this.inventoryAsksForPull(propertyId, summary)) due = due === 'none' ? 'incremental' : due;
    if (due !== 'none') await this.pull(config, due === 'full', options, summary);
    // What the pull covered is processed; the booking deliveries left are read by id.
    const hints = (await waitingDeliveries(this.deps.db, propertyId, this.deps.clock.now())).filter(
      (delivery) => delivery.kind === 'booking',
    );
    if (hints.length > 0) await this.readHints(config, hints, options, summary);
    await deleteProcessedBefore(
      this.deps.db,
      propertyId,
      new Date(this.deps.clock.now().getTime() - INBOX_RETENTION_MS),
    );
    return summary;
  }

  /**
   * A pull now, outside the queue (before a calendar write, or by an operator): the property's bookings
   * changed since the last complete pull (or, with `full`, all current and future ones), applied before it
   * returns. With `freshWithinMs`, no call when the last complete pull started within that time.
   */
  async pullNow(propertyId: string, options: PullNowOptions): Promise<ImportSummary> {
    const summary = emptyImportSummary();
    const config = await loadConfig(this.deps.db, propertyId);
    if (!isPullEnabled(config)) return summary;
    if (options.freshWithinMs !== undefined) {
      const state = await loadPullState(this.deps.db, propertyId);
      const age = state?.cursor ? this.deps.clock.now().getTime() - state.cursor.getTime() : Infinity;
      if (age <= options.freshWithinMs) return summary;
    }
    await this.pull(config, options.full === true, options, summary);
    return summary;
  }

  /**
   * Bookings another service has just read from Beds24 (the drift check reads the property's bookings),
   * applied as a pull's would be, without reading them again. Throws BookingImportError when some could
   * not be applied. Nothing when the property's pulls are off.
   */
  async importRead(propertyId: string, bookings: Beds24Booking[], readAt: Date): Promise<ImportSummary> {
    const summary = emptyImportSummary();
    const config = await loadConfig(this.deps.db, propertyId);
    if (!isPullEnabled(config)) return summary;
    const failed = await this.applyAll(config, bookings, { by: 'pull', at: readAt }, summary);
    if (failed.length > 0) {
      throw new BookingImportError(`${failed.length} booking(s) read could not be imported: ${failed.join(', ')}`);
    }
    return summary;
  }

  /**
   * An operator's full import (`POST /api/admin/beds24/pull`): answers the import job's id. 400 for an
   * unknown property, 409 when it is not connected or its pulls are off.
   */
  requestFullImport(propertyId: string): Promise<string | null> {
    return inTransaction(this.deps.db, async (trx) => {
      if (!(await findProperty(trx, propertyId)))
        throw ValidationError.field('property_id', 'no property with this id');
      const config = await loadConfig(trx, propertyId);
      if (!isPullEnabled(config)) {
        throw new ConflictError(
          config === undefined || config.refresh_token === null
            ? 'property is not connected to Beds24'
            : 'pull sync is disabled for this property (sync_enabled or pull_sync_enabled is false)',
        );
      }
      return this.queueFullImport(trx, propertyId);
    });
  }

  /** Asks for a full import and queues the import job, in the caller's transaction; answers the job's id. */
  async queueFullImport(trx: Knex.Transaction, propertyId: string): Promise<string | null> {
    await requestFullImport(trx, propertyId, this.deps.clock.now());
    return this.deps.queue.send(trx, 'import', propertyId, { wantId: true });
  }

  /** Asks for an incremental pull and queues the import job, in the caller's transaction. */
  async queuePull(trx: Knex.Transaction, propertyId: string): Promise<void> {
    await requestPull(trx, propertyId, this.deps.clock.now());
    await this.deps.queue.send(trx, 'import', propertyId);
  }

  private async pull(
    config: Beds24Config & { refresh_token: string },
    full: boolean,
    options: ImportOptions,
    summary: ImportSummary,
  ): Promise<void> {
    const { db, clock, logger } = this.deps;
    const propertyId = config.property_id;
    const startedAt = clock.now();
    const state = await loadPullState(db, propertyId);
    const cursor = state?.cursor ?? null;
    const complete = full || cursor === null;
    const query: BookingsQuery = { propertyId: [config.beds24_property_id], status: [...BOOKING_STATUSES] };
    if (complete) {
      const property = await findProperty(db, propertyId);
      query.departureFrom = todayIn(property?.timezone ?? 'UTC', startedAt);
    } else {
      query.modifiedFrom = beds24DateTime(new Date(cursor.getTime() - PULL_OVERLAP_SECONDS * 1000));
    }
    const tally = { calls: 0 };
    try {
      const bookings = await this.deps.connections.clientFor(config).getBookings(query, callOptions(options, tally));
      summary.pull = complete ? 'full' : 'incremental';
      summary.pulled += bookings.length;
      const failed = await this.applyAll(config, bookings, { by: 'pull', at: startedAt }, summary);
      if (failed.length > 0) {
        throw new BookingImportError(
          `${failed.length} booking(s) of the pull could not be imported: ${failed.join(', ')}`,
        );
      }
    } finally {
      summary.calls += tally.calls;
    }
    await recordPull(db, propertyId, { startedAt, full: complete }, clock.now());
    await markCoveredByPull(db, propertyId, startedAt, clock.now());
    logger.info(
      {
        property_id: propertyId,
        reason: options.reason,
        pull: summary.pull,
        bookings: summary.pulled,
        calls: tally.calls,
      },
      'beds24 bookings pulled',
    );
  }

  /**
   * Inventory deliveries (SYNC_ROOM: something changed in a room, no booking named) ask for an incremental
   * pull, at most one per INVENTORY_PULL_SPACING_SECONDS: within the spacing they wait for the next one.
   */
  private async inventoryAsksForPull(propertyId: string, summary: ImportSummary): Promise<boolean> {
    const { db, clock } = this.deps;
    const now = clock.now();
    const waiting = await waitingDeliveries(db, propertyId, now);
    const inventory = waiting.filter((delivery) => delivery.kind === 'inventory').map((delivery) => delivery.id);
    if (inventory.length === 0) return false;
    if (await requestInventoryPull(db, propertyId, now, INVENTORY_PULL_SPACING_SECONDS)) return true;
    const last = (await loadPullState(db, propertyId))?.inventory_pull_at ?? now;
    await deferDeliveries(db, inventory, new Date(last.getTime() + INVENTORY_PULL_SPACING_SECONDS * 1000));
    summary.deferred += inventory.length;
    return false;
  }

  private async readHints(
    config: Beds24Config & { refresh_token: string },
    hints: WaitingDelivery[],
    options: ImportOptions,
    summary: ImportSummary,
  ): Promise<void> {
    const { db, clock, pullIntervalSeconds } = this.deps;
    const propertyId = config.property_id;
    const byBooking = Map.groupBy(hints, (hint) => hint.beds24_booking_id as number);
    const known = await importedBookings(db, propertyId, [...byBooking.keys()]);
    const mapped = await mappedBeds24Rooms(db, propertyId);
    const now = clock.now();
    const settled: number[] = [];
    const toRead: number[] = [];
    const deferred = new Map<number, Date>();
    for (const [bookingId, deliveries] of byBooking) {
      const record = known.get(bookingId);
      const latest = deliveries.reduce((a, b) => (deliverySeconds(b) > deliverySeconds(a) ? b : a));
      // Our own bookings (a staff edit in Beds24 of one fires a webhook too) are never read for an import.
      if (record?.outcome === 'ours' || (record !== undefined && holdsAtLeast(record, deliverySeconds(latest)))) {
        settled.push(...deliveries.map((d) => d.id));
        continue;
      }
      // Nothing held and no PMS room maps to its Beds24 room: the booking is not the PMS's to import.
      const roomMapped = deliveries.some((d) => d.beds24_room_id !== null && mapped.has(d.beds24_room_id));
      if (record?.outcome !== 'imported' && !roomMapped) {
        settled.push(...deliveries.map((d) => d.id));
        this.count('unmapped', summary);
        continue;
      }
      const nextRead = record?.last_read_at ? record.last_read_at.getTime() + pullIntervalSeconds * 1000 : 0;
      if (nextRead > now.getTime()) deferred.set(bookingId, new Date(nextRead));
      else toRead.push(bookingId);
    }
    await markProcessed(db, settled, now);
    for (const [bookingId, until] of deferred) {
      await deferDeliveries(
        db,
        (byBooking.get(bookingId) ?? []).map((d) => d.id),
        until,
      );
      summary.deferred += 1;
    }
    const failed: number[] = [];
    for (let i = 0; i < toRead.length; i += IDS_PER_READ) {
      const batch = toRead.slice(i, i + IDS_PER_READ);
      const tally = { calls: 0 };
      const readAt = clock.now();
      let bookings: Beds24Booking[];
      try {
        bookings = await this.deps.connections
          .clientFor(config)
          .getBookings({ id: batch }, callOptions(options, tally));
      } finally {
        summary.calls += tally.calls;
      }
      await recordReads(db, propertyId, batch, readAt);
      summary.read += bookings.length;
      const found = new Set(bookings.map((booking) => booking.id));
      for (const missing of batch.filter((id) => !found.has(id))) this.notFound(propertyId, missing, known, summary);
      const batchFailed = await this.applyAll(config, bookings, { by: 'id', at: readAt }, summary);
      failed.push(...batchFailed);
      const done = batch.filter((id) => !batchFailed.includes(id)).flatMap((id) => byBooking.get(id) ?? []);
      await markProcessed(
        db,
        done.map((d) => d.id),
        clock.now(),
      );
    }
    if (failed.length > 0) {
      throw new BookingImportError(
        `${failed.length} booking(s) read by id could not be imported: ${failed.join(', ')}`,
      );
    }
  }

  private notFound(
    propertyId: string,
    bookingId: number,
    known: Map<number, ImportedBooking>,
    summary: ImportSummary,
  ): void {
    this.count('not_found', summary);
    if (known.get(bookingId)?.outcome === 'imported') {
      // Beds24 deletes for good; its reservation stays until staff decide (a deletion is no cancellation).
      this.deps.logger.warn(
        { property_id: propertyId, beds24_booking_id: bookingId },
        'an imported Beds24 booking is not in Beds24 any more (deleted?); its reservation is kept',
      );
    }
  }

  /** Applies each booking in its own transaction, in id order; answers the ids that failed. */
  private async applyAll(
    config: Beds24Config,
    bookings: Beds24Booking[],
    read: ReadKind,
    summary: ImportSummary,
  ): Promise<number[]> {
    const { db } = this.deps;
    const propertyId = config.property_id;
    const sorted = [...bookings].sort((a, b) => a.id - b.id);
    const ids = sorted.map((booking) => booking.id);
    const known = await importedBookings(db, propertyId, ids);
    const unassigned = await bookingsWithUnassignedUnits(db, propertyId, ids);
    const mapped = await mappedBeds24Rooms(db, propertyId);
    // The PMS's own bookings come back in every pull after a burst of edits: told apart in bulk, not one
    // transaction each, so a pull never holds the property for long over bookings it will not import.
    const owned = await ownBeds24Bookings(db, ids);
    for (const booking of sorted) if (reservationIdFromMarker(booking) !== undefined) owned.add(booking.id);
    const newlyOwned = [...owned].filter((id) => known.get(id)?.outcome !== 'ours');
    await recordOwnBookings(db, propertyId, newlyOwned, this.deps.clock.now());
    const today = todayIn((await findProperty(db, propertyId))?.timezone ?? 'UTC', this.deps.clock.now());
    const failed: number[] = [];
    for (const booking of sorted) {
      if (owned.has(booking.id)) {
        this.count('ours', summary);
        continue;
      }
      // Pulls read what changed, past stays included; a stay the PMS never held and that is over stays out.
      if (
        known.get(booking.id)?.outcome !== 'imported' &&
        booking.departure !== undefined &&
        booking.departure < today
      ) {
        this.count('ended', summary);
        continue;
      }
      // The overlap of every pull reads versions already held: skipped without a transaction.
      if (isSettled(booking, known.get(booking.id)) && !unassigned.has(booking.id)) {
        this.count('unchanged', summary);
        continue;
      }
      try {
        const outcome = await this.applyBooking(config, booking, { read, mapped }, summary);
        this.count(outcome, summary);
      } catch (error) {
        failed.push(booking.id);
        summary.failed += 1;
        this.deps.counter?.inc({ outcome: 'failed' });
        this.deps.logger.error(
          { err: error, property_id: propertyId, beds24_booking_id: booking.id },
          'could not import a Beds24 booking',
        );
      }
    }
    return failed;
  }

  private count(outcome: BookingOutcome, summary: ImportSummary): void {
    if (outcome === 'created' || outcome === 'updated' || outcome === 'unchanged') summary[outcome] += 1;
    else summary.ignored += 1;
    this.deps.counter?.inc({ outcome });
  }

  /** One booking, one transaction: identity, version, plan, reservations, its version, the calendar change. */
  private async applyBooking(
    config: Beds24Config,
    booking: Beds24Booking,
    { read, mapped }: { read: ReadKind; mapped: ReadonlySet<number> },
    summary: ImportSummary,
  ): Promise<BookingOutcome> {
    const { db, clock } = this.deps;
    const propertyId = config.property_id;
    const warnings: UnassignedUnit[] = [];
    const outcome = await inTransaction(db, async (trx) => {
      await lockBookingImport(trx, propertyId, booking.id);
      const now = clock.now();
      const version = { modifiedTime: booking.modifiedTime ?? null, fingerprint: bookingFingerprint(booking) };
      const record = (outcome: ImportOutcome, importedAt?: Date): Promise<void> =>
        recordImport(
          trx,
          propertyId,
          {
            bookingId: booking.id,
            outcome,
            ...version,
            versionReadAt: read.at,
            importedAt,
            readAt: read.by === 'id' ? read.at : undefined,
          },
          now,
        );
      const held = await this.loadHeld(trx, propertyId, booking.id);
      if (booking.propertyId !== undefined && booking.propertyId !== config.beds24_property_id) {
        await record('other_property');
        return 'other_property';
      }
      if (await isOwnBeds24Booking(trx, booking.id)) {
        await record('ours');
        return 'ours';
      }
      const stored = await lockedImportedBooking(trx, propertyId, booking.id);
      const order = compareBookingVersion(booking, heldVersion(stored));
      const needsRoom = held?.units.some((unit) => unit.room_id === null && isOccupying(unit.status)) ?? false;
      if (
        stored !== undefined &&
        SETTLED_OUTCOMES.has(stored.outcome) &&
        (order === 'older' || (order === 'same' && !needsRoom))
      ) {
        return 'unchanged';
      }
      if (held === null && !mapped.has(booking.roomId ?? 0)) {
        await record('unmapped');
        return 'unmapped';
      }
      const plan = planBookingImport(booking, held);
      if (plan.action === 'ignore') {
        if (plan.reason === 'invalid') {
          this.deps.logger.warn(
            { property_id: propertyId, beds24_booking_id: booking.id, problem: plan.problem },
            'a Beds24 booking the PMS cannot hold was not imported',
          );
        }
        await record(plan.reason);
        return plan.reason;
      }
      const applied = await this.applyPlan(trx, propertyId, plan, held, warnings);
      await record('imported', now);
      // A stay created, moved, cancelled or given a room: the calendar follows (a guest's details do not count).
      if (applied.stays) {
        await forgetCells(trx, propertyId, bookedNights(applied.footprints));
        const { paused } = await probeConnection(trx, propertyId);
        await recordChanges(trx, propertyId, [{ kind: 'availability', entityId: 'calendar' }]);
        if (!paused) this.deps.queue.wakeAfterCommit(trx, propertyId, ['availability']);
      }
      return applied.created ? 'created' : applied.changed ? 'updated' : 'unchanged';
    });
    for (const unit of warnings) {
      summary.unassigned += 1;
      this.deps.logger.warn(
        { property_id: propertyId, ...unit },
        'Beds24 booking imported without a free room: an overbooking for staff to solve',
      );
    }
    return outcome;
  }

  private async loadHeld(trx: Knex.Transaction, propertyId: string, bookingId: number): Promise<HeldBooking | null> {
    const rows = await lockImportedUnits(trx, propertyId, bookingId);
    const first = rows[0];
    if (first === undefined) return null;
    const guest = await lockGuest(trx, first.guest_id);
    if (guest === undefined) return null;
    return { guest, units: rows.map(toHeldUnit) };
  }

  private async applyPlan(
    trx: Knex.Transaction,
    propertyId: string,
    plan: Extract<ImportPlan, { action: 'upsert' | 'cancel' }>,
    held: HeldBooking | null,
    warnings: UnassignedUnit[],
  ): Promise<{ created: boolean; changed: boolean; stays: boolean; footprints: BookedStay[] }> {
    let guestId = held?.guest.id ?? null;
    let guestChanged = false;
    let changed = false;
    if (plan.action === 'upsert') {
      if (plan.guest.op === 'create') {
        guestId = (await insertGuest(trx, plan.guest.fields)).id;
      } else if (plan.guest.op === 'update') {
        await updateGuest(trx, plan.guest.guestId, plan.guest.changes);
        guestChanged = true;
      }
    }
    let created = false;
    const footprints: BookedStay[] = [];
    const heldUnits = new Map((held?.units ?? []).map((unit) => [unit.id, unit]));
    for (const unit of plan.units) {
      if (unit.op === 'keep') continue;
      if (unit.op === 'create') {
        created = true;
        changed = true;
        const fields = unit.fields;
        footprints.push(fields);
        const roomId =
          unit.room === 'assign'
            ? await assignRoom(trx, {
                propertyId,
                beds24RoomId: fields.booked_beds24_room_id,
                checkIn: fields.check_in,
                checkOut: fields.check_out,
              })
            : null;
        await insertReservation(trx, {
          ...fields,
          property_id: propertyId,
          guest_id: guestId as string,
          room_id: roomId,
        });
        if (roomId === null && isOccupying(fields.status))
          warnings.push(unassignedUnit(plan.beds24BookingId, unit.unit, fields));
        continue;
      }
      const before = heldUnits.get(unit.reservationId);
      if (before === undefined) continue;
      const after = { ...before, ...unit.changes };
      const roomId = await this.roomFor(trx, propertyId, unit, before, after);
      const changes: Partial<ReservationRow> = { ...unit.changes };
      if (roomId !== before.room_id) changes.room_id = roomId;
      // An overbooking asked again for a room and still without one: nothing to write.
      if (Object.keys(changes).length === 0) continue;
      changed = true;
      footprints.push(before, after);
      await updateReservationRow(trx, unit.reservationId, changes);
      const nowUnassigned = roomId === null && isOccupying(after.status);
      const wasUnassigned = before.room_id === null && isOccupying(before.status);
      if (nowUnassigned && (!wasUnassigned || unit.room !== 'assign')) {
        warnings.push(unassignedUnit(plan.beds24BookingId, unit.unit, after));
      }
    }
    return { created, changed: changed || guestChanged, stays: changed, footprints };
  }

  private async roomFor(
    trx: Knex.Transaction,
    propertyId: string,
    unit: Extract<UnitPlan, { op: 'update' }>,
    before: HeldUnit,
    after: HeldUnit,
  ): Promise<string | null> {
    if (unit.room === 'keep' || unit.room === 'none') return before.room_id;
    return assignRoom(trx, {
      propertyId,
      beds24RoomId: after.booked_beds24_room_id as number,
      checkIn: after.check_in,
      checkOut: after.check_out,
      ignoreReservationId: unit.reservationId,
      preferRoomId: unit.room === 'recheck' ? (before.room_id ?? undefined) : undefined,
    });
  }
}

/** Where a Beds24 booking's unit takes a unit in Beds24: its room and nights. */
type BookedStay = { booked_beds24_room_id: number | null; check_in: string; check_out: string };

/**
 * The calendar nights a booking change touched, old and new place alike. Whether Beds24 moves a written
 * count when a booking comes, goes or moves is not documented (it may add a cancelled unit back on top of a
 * count of 0): these nights are sent again whatever the PMS believes Beds24 holds.
 */
function bookedNights(stays: BookedStay[]): Array<{ beds24RoomId: number; date: string }> {
  return footprintCells(
    stays.map((stay) =>
      stay.booked_beds24_room_id === null
        ? null
        : { beds24RoomId: stay.booked_beds24_room_id, arrival: stay.check_in, departure: stay.check_out },
    ),
  );
}

/** What the warn log says of an unassigned unit: ids, room and nights, never the guest. */
interface UnassignedUnit {
  beds24_booking_id: number;
  beds24_unit: number;
  beds24_room_id: number | null;
  check_in: string;
  check_out: string;
  nights: number;
}

function unassignedUnit(
  bookingId: number,
  unit: number,
  stay: { booked_beds24_room_id: number | null; check_in: string; check_out: string },
): UnassignedUnit {
  return {
    beds24_booking_id: bookingId,
    beds24_unit: unit,
    beds24_room_id: stay.booked_beds24_room_id,
    check_in: stay.check_in,
    check_out: stay.check_out,
    nights: daysBetween(stay.check_in, stay.check_out),
  };
}

function toHeldUnit(row: ReservationRow): HeldUnit {
  return {
    id: row.id,
    guest_id: row.guest_id,
    room_id: row.room_id,
    status: row.status,
    check_in: row.check_in,
    check_out: row.check_out,
    adults: row.adults,
    children: row.children,
    total_price: row.total_price,
    booked_beds24_room_id: row.booked_beds24_room_id,
    beds24_channel: row.beds24_channel,
    beds24_api_reference: row.beds24_api_reference,
    beds24_unit: row.beds24_unit ?? 1,
  };
}

function heldVersion(record: ImportedBooking | undefined): { modifiedTime: string | null; fingerprint: string } | null {
  if (record === undefined || record.fingerprint === null) return null;
  return { modifiedTime: record.modified_time, fingerprint: record.fingerprint };
}

/** A version the PMS already applied (or already ignored for good), read again. */
function isSettled(booking: Beds24Booking, record: ImportedBooking | undefined): boolean {
  if (record === undefined || !SETTLED_OUTCOMES.has(record.outcome)) return false;
  // A booking the PMS pushed stays its own whatever Beds24 changes in it.
  if (record.outcome === 'ours') return true;
  const order = compareBookingVersion(booking, heldVersion(record));
  return order === 'same' || order === 'older';
}

/**
 * The PMS holds this booking at a version as new as the delivery's (or newer): nothing to read. modifiedTime
 * has whole seconds, so a delivery of the same second is old news only when the version held was read after
 * that second ended (with a second for clock skew); otherwise it may be a second change within that second.
 */
function holdsAtLeast(record: ImportedBooking, deliverySeconds: number): boolean {
  if (!SETTLED_OUTCOMES.has(record.outcome)) return false;
  const held = modifiedSeconds(record.modified_time);
  if (held === undefined || held < deliverySeconds) return false;
  if (held > deliverySeconds) return true;
  const readAt = record.version_read_at?.getTime();
  return readAt !== undefined && readAt >= (deliverySeconds + 1 + SAME_SECOND_SKEW_SECONDS) * 1000;
}

function deliverySeconds(delivery: WaitingDelivery): number {
  return modifiedSeconds(delivery.modified_time) ?? Number.POSITIVE_INFINITY;
}

/** Which pull the state asks for: a full import first, then an incremental one. */
function pullDue(state: PullState | undefined): 'none' | 'incremental' | 'full' {
  if (state === undefined) return 'none';
  const after = (asked: Date | null, done: Date | null): boolean =>
    asked !== null && (done === null || asked.getTime() > done.getTime());
  if (after(state.full_import_requested_at, state.last_full_import_at)) return 'full';
  if (state.cursor === null) return state.pull_requested_at === null ? 'none' : 'full';
  return after(state.pull_requested_at, state.cursor) ? 'incremental' : 'none';
}

/** `YYYY-MM-DDTHH:MM:SS` in UTC, as `modifiedFrom` is written. */
export function beds24DateTime(date: Date): string {
  return date.toISOString().slice(0, 19);
}

function callOptions(options: ImportOptions, tally: { calls: number }): CallOptions {
  return { priority: options.priority, wait: options.wait, deadline: options.deadline, tally };
}
