import type { Clock } from '../../../clock.ts';
import type { Knex } from '../../../db.ts';
import type { Logger } from '../../../logger.ts';
import { OCCUPYING_STATUSES } from '../../../pms/common_schemas.ts';
import { storedRestrictions } from '../../../pms/restrictions/restrictions_repository.ts';
import { addDays, todayIn, type CalendarDate } from '../../../utils/dates.ts';
import {
  computeDesiredCalendar,
  diffCalendar,
  toCalendarBodies,
  type AvailabilityInput,
  type CalendarBodyLimits,
  type Cell,
  type DesiredCalendar,
  type ChangedCell,
  type RememberedCalendar,
} from '../mappers/availability_mapper.ts';
import { footprintCells } from '../mappers/reservation_mapper.ts';
import { restrictionsOf } from '../mappers/restriction_mapper.ts';
import { emptySummary, type PushLatency, type PushOptions, type PushSummary } from '../beds24_sync_types.ts';
import {
  forgetCells,
  publishedRoomIds,
  recordPublishedRooms,
  recordRestrictionRooms,
  rememberCells,
  rememberedCalendar,
  restrictionRoomIds,
} from '../store/calendar_state_store.ts';
import { isPushEnabled, loadConfig, recordPushed, type Beds24Config } from '../store/config_store.ts';
import { recordFailure, resolveCalendarFailuresExcept, resolveFailures } from '../store/failures_store.ts';
import { clearChanges, hasPendingChanges, outboxByKind, takePendingChanges } from '../store/outbox_store.ts';
import { waitingBookingFootprints } from '../store/reservation_sync_store.ts';
import { KIND_SETTINGS, type SyncKind } from '../queue/job_kinds.ts';
import type { Beds24Connections } from './beds24_connections.ts';
import type { CallOptions } from '../client/beds24_client.ts';
import { Beds24Error } from '../client/beds24_errors.ts';
import { mostUrgent } from '../client/priority.ts';
import type { BookingImportService, ImportSummary } from './booking_import_service.ts';
import type { ReservationPushService } from './reservation_push_service.ts';

export interface AvailabilityPushServiceDeps {
  db: Knex;
  connections: Beds24Connections;
  clock: Clock;
  logger: Logger;
  horizonDays: number;
  limits?: CalendarBodyLimits;
  /** The property's waiting booking pushes, sent before its calendar. */
  bookings: Pick<ReservationPushService, 'pushPending'>;
  /** Beds24's bookings pulled into the PMS before a write that may raise a count. */
  imports: Pick<BookingImportService, 'pullNow'>;
  latency?: PushLatency;
}

/** How long the booking writes a calendar run sends first may retry before its closings go without them. */
const BOOKINGS_FIRST_RETRY_MS = 3_000;

/**
 * One calendar run. `startedAt`: a pull started since then is fresh enough for all of its writes.
 * `bookingsWaiting`: why the property's booking writes could not go first; the run then sends only what
 * lowers a count, and ends with that error so the job retries the rest.
 */
interface Run {
  startedAt: Date;
  bookingsWaiting?: Beds24Error;
}

interface Range {
  from: CalendarDate;
  to: CalendarDate;
}

export interface CalendarSnapshot {
  desired: DesiredCalendar;
  remembered: RememberedCalendar;
  formerRoomIds: number[];
  /** Beds24 rooms whose restrictions the PMS manages: each of their writes carries them. */
  restrictionRooms: Set<number>;
}

/**
 * Keeps every mapped Beds24 room's calendar equal to what the hotel really has. Each run computes the
 * desired cells for the range, compares them with what Beds24 last accepted (the calendar state) and
 * sends only the differences, all rooms of the property in one `POST /inventory/rooms/calendar`.
 * A run with nothing changed makes no call at all. Every Beds24 room the property ever published that no
 * PMS room maps to any more is closed, however the mapping changed.
 */
export class AvailabilityPushService {
  private readonly deps: AvailabilityPushServiceDeps;

  constructor(deps: AvailabilityPushServiceDeps) {
    this.deps = deps;
  }

  /** A change-only push of the property's calendar over the horizon, now (it waits for credits by default). */
  async pushCalendar(propertyId: string, options: PushOptions = { priority: 'high' }): Promise<PushSummary> {
    const run = this.startRun();
    const summary = await this.bookingsFirst(propertyId, options, run);
    add(summary, await this.pushRange(propertyId, {}, options, run));
    endRun(run);
    return summary;
  }

  /**
   * Sends every cell of the range again, whatever we believe Beds24 holds. The remembered calendar is
   * left alone: it still decides what counts as closing, other pushes keep diffing against it, and the
   * send path forgets cells while they are in flight and remembers what Beds24 accepts, as for any push.
   */
  private resync(propertyId: string, range: Partial<Range>, options: PushOptions, run: Run): Promise<PushSummary> {
    return this.pushRange(propertyId, range, options, run, { resend: true });
  }

  /** Worker entry for availability and rates jobs: one diff run over the horizon clears both outboxes. */
  async pushPending(propertyId: string, options: PushOptions): Promise<PushSummary> {
    // With a toggle off the outbox is kept, so nothing is lost; a resync after re-enabling sends it all.
    if (!isPushEnabled(await loadConfig(this.deps.db, propertyId))) return emptySummary();
    const run = this.startRun();
    const kinds: SyncKind[] = ['availability', 'rates'];
    const started = await takePendingChanges(this.deps.db, propertyId, kinds);
    const waits = await this.waits(propertyId, kinds);
    // Whichever of the two jobs runs, it carries the changes of both: it spends as the most urgent of them may.
    const carried = started.map((change) => KIND_SETTINGS[change.kind].creditPriority);
    const spending = { ...options, priority: mostUrgent(options.priority, ...carried) };
    const summary = await this.bookingsFirst(propertyId, spending, run, { calendarFollows: true });
    // Taken again after the bookings: this run's calendar, computed from now, carries what came meanwhile,
    // the nights a booking write handed back included.
    const pending = await takePendingChanges(this.deps.db, propertyId, kinds);
    const calendar = await this.pushRange(propertyId, {}, spending, run);
    add(summary, calendar);
    endRun(run);
    if (calendar.calls > 0) this.observe(waits);
    await clearChanges(this.deps.db, propertyId, pending);
    return summary;
  }

  /** Worker entry for resync jobs: each queued range, in the order asked. */
  async pushPendingResyncs(propertyId: string, options: PushOptions): Promise<PushSummary> {
    if (!isPushEnabled(await loadConfig(this.deps.db, propertyId))) return emptySummary();
    const run = this.startRun();
    const pending = await takePendingChanges(this.deps.db, propertyId, ['resync']);
    const waits = await this.waits(propertyId, ['resync']);
    const total = await this.bookingsFirst(propertyId, options, run);
    let calls = 0;
    for (const change of pending) {
      const [from, to] = change.entity_id.split('..');
      const sent = await this.resync(propertyId, { from, to }, options, run);
      add(total, sent);
      calls += sent.calls;
      endRun(run);
      await clearChanges(this.deps.db, propertyId, [change]);
    }
    endRun(run);
    if (calls > 0) this.observe(waits);
    return total;
  }

  /** Since when the oldest waiting change of each of these kinds has waited, as a run starts. */
  private async waits(propertyId: string, kinds: SyncKind[]): Promise<Array<{ kind: SyncKind; since: Date }>> {
    const now = this.deps.clock.now().getTime();
    return (await outboxByKind(this.deps.db, propertyId))
      .filter(({ kind }) => kinds.includes(kind))
      .map(({ kind, oldestAge }) => ({ kind, since: new Date(now - oldestAge * 1000) }));
  }

  /** The run's calendar reached Beds24: what it carried had waited since then. */
  private observe(waits: Array<{ kind: SyncKind; since: Date }>): void {
    const now = this.deps.clock.now().getTime();
    for (const { kind, since } of waits) this.deps.latency?.observe({ kind }, (now - since.getTime()) / 1000);
  }

  private startRun(): Run {
    return { startedAt: this.deps.clock.now() };
  }

  /**
   * Bookings go before the calendar: the property's waiting booking pushes are sent first, at their own
   * priority. Under an inventory model where Beds24 takes a unit off a written count for each new booking,
   * a calendar that already counts our booking, written before the booking, would lose that unit twice.
   * A booking write Beds24 does not take now holds up only the counts that would rise: closings still go
   * (a cancel not yet in Beds24 must not reopen its unit while Beds24 still holds the booking).
   */
  private async bookingsFirst(
    propertyId: string,
    options: PushOptions,
    run: Run,
    { calendarFollows = false } = {},
  ): Promise<PushSummary> {
    if (!(await hasPendingChanges(this.deps.db, propertyId, ['reservations']))) return emptySummary();
    try {
      // Beds24 refusing booking writes must not hold the calendar's closings for the transport's retries.
      const retryUntil = new Date(this.deps.clock.now().getTime() + BOOKINGS_FIRST_RETRY_MS);
      return await this.deps.bookings.pushPending(propertyId, {
        ...options,
        calendarFollows,
        priority: KIND_SETTINGS.reservations.creditPriority,
        deadline: options.deadline !== undefined && options.deadline < retryUntil ? options.deadline : retryUntil,
      });
    } catch (error) {
      if (!(error instanceof Beds24Error)) throw error;
      this.deps.logger.warn(
        { err: error, property_id: propertyId },
        'bookings could not go before the calendar; only closings go now, the rest waits for the bookings',
      );
      run.bookingsWaiting = error;
      return emptySummary();
    }
  }

  private async pushRange(
    propertyId: string,
    requested: Partial<Range>,
    options: PushOptions,
    run: Run,
    { resend = false } = {},
  ): Promise<PushSummary> {
    const summary = emptySummary();
    const config = await loadConfig(this.deps.db, propertyId);
    if (!isPushEnabled(config)) return summary;
    const range = await this.clip(propertyId, requested);
    let plan = await this.plan(propertyId, range, resend);
    if (plan.changed.length === 0) return summary;
    let priority = closesAnything(plan.changed, plan.remembered) ? 'critical' : options.priority;
    let allowance = 0;
    if (plan.changed.some(mayRaise)) {
      // Nights closed outright (0 units, a blackout) cannot reopen anything: they do not wait for the pull.
      const closing = plan.changed.filter((cell) => !mayRaise(cell) && cell.keepsNumAvail !== true);
      if (closesAnything(closing, plan.remembered)) {
        await this.send(config, closing, { ...options, priority: 'critical' }, summary);
        plan = await this.plan(propertyId, range, resend);
      }
      const pulled = await this.pullBeforeRaise(propertyId, { ...options, priority }, run);
      summary.calls += pulled.calls;
      // The pull was spent for this write: the write may use that much of its reserve.
      allowance = pulled.calls;
      if (pulled.pull !== 'none') plan = await this.plan(propertyId, range, resend);
    }
    const cells = await this.notReopening(propertyId, plan);
    if (cells.length === 0) return summary;
    priority = closesAnything(cells, plan.remembered) ? 'critical' : options.priority;
    await this.send(config, cells, { ...options, priority, allowance }, summary);
    return summary;
  }

  /**
   * A night that a booking with a write still waiting takes in Beds24 (a stay cancelled or moved away in
   * the PMS, not yet in Beds24) may not rise: Beds24 still holds the booking there. Such a write waits when
   * Beds24 refused it just now, or when the edit came after this run sent the bookings; its own job sends
   * it, and then the calendar again. Everything else goes, the nights such bookings newly take above all.
   */
  private async notReopening(
    propertyId: string,
    { changed, remembered }: { changed: ChangedCell[]; remembered: RememberedCalendar },
  ): Promise<ChangedCell[]> {
    const waiting = await waitingBookingFootprints(this.deps.db, propertyId);
    const held = new Set(footprintCells(waiting).map((cell) => `${cell.beds24RoomId}|${cell.date}`));
    return changed.filter(
      (cell) => !mayRaise(cell) || !held.has(`${cell.beds24RoomId}|${cell.date}`) || closesAnything([cell], remembered),
    );
  }

  /** The cells of the range to write now, from the PMS's current state. */
  private async plan(
    propertyId: string,
    range: Range,
    resend: boolean,
  ): Promise<{ changed: ChangedCell[]; remembered: RememberedCalendar }> {
    const { desired, remembered, restrictionRooms } = await this.load(propertyId, range);
    // A refused calendar item of a Beds24 room that nothing maps to any more has nothing left to push.
    await resolveCalendarFailuresExcept(this.deps.db, propertyId, [...desired.cells.keys()]);
    // A resync diffs against nothing, in this run only: every cell of its range goes out once.
    const changed = diffCalendar(
      desired,
      resend ? new Map<number, Map<CalendarDate, Cell>>() : remembered,
      restrictionRooms,
    );
    return { changed, remembered };
  }

  /**
   * A count the PMS writes is right only if the PMS holds every booking of that night. A channel booking
   * whose webhook was lost is missing, and whether Beds24 protects a written count from it (caps it) or
   * not (keeps it, or moves it) is not documented: so before a write that may raise a count, the property's
   * bookings are pulled, unless a pull started during this run already. The pull goes at the write's
   * priority: a write waiting for it must not be starved by lower work.
   */
  private pullBeforeRaise(propertyId: string, options: PushOptions, run: Run): Promise<ImportSummary> {
    return this.deps.imports.pullNow(propertyId, {
      reason: 'before_push',
      priority: options.priority,
      wait: options.wait,
      deadline: options.deadline,
      freshWithinMs: this.deps.clock.now().getTime() - run.startedAt.getTime(),
    });
  }

  /**
   * What Beds24 should show over the horizon (or the part of `range` inside it), from the PMS's current
   * state, next to what we remember Beds24 accepted (no call made). `formerRoomIds`: published Beds24 rooms
   * no PMS room maps to any more.
   */
  async snapshot(propertyId: string, range: Partial<Range> = {}): Promise<CalendarSnapshot> {
    return this.load(propertyId, await this.clip(propertyId, range));
  }

  private async load(propertyId: string, range: Range): Promise<CalendarSnapshot> {
    const [remembered, input, restrictionRooms] = await Promise.all([
      rememberedCalendar(this.deps.db, propertyId, range),
      this.loadInput(propertyId, range),
      restrictionRoomIds(this.deps.db, propertyId),
    ]);
    const formerRoomIds = input.formerBeds24RoomIds ?? [];
    return { desired: computeDesiredCalendar(input), remembered, formerRoomIds, restrictionRooms };
  }

  private async send(
    config: Beds24Config,
    changed: ChangedCell[],
    call: PushOptions & Pick<CallOptions, 'allowance'>,
    summary: PushSummary,
  ): Promise<void> {
    const client = this.deps.connections.clientFor(config);
    const byRoom = Map.groupBy(changed, (cell) => cell.beds24RoomId);
    for (const body of toCalendarBodies(changed, this.deps.limits)) {
      const sending = body.flatMap((item) =>
        (byRoom.get(item.roomId) ?? []).filter((cell) =>
          item.calendar.some((r) => r.from <= cell.date && cell.date <= r.to),
        ),
      );
      // Until Beds24's answer is recorded these cells are unknown: a crash in between must not leave a
      // belief that makes a later change back to the old value look like no change at all. A room whose
      // restrictions go out is managed from now on, so a forgotten cell of it still carries them next time.
      const restricting = [
        ...new Set(sending.filter((cell) => cell.override !== undefined).map((cell) => cell.beds24RoomId)),
      ];
      await this.deps.db.transaction(async (trx) => {
        await recordRestrictionRooms(trx, config.property_id, restricting);
        await forgetCells(trx, config.property_id, sending);
      });
      summary.calls += 1;
      const results = await client.postCalendar(body, call);
      await this.deps.db.transaction(async (trx) => {
        const acceptedRooms = body.filter((_item, index) => results[index]?.ok === true).map((item) => item.roomId);
        await recordPublishedRooms(trx, config.property_id, acceptedRooms);
        for (const [index, item] of body.entries()) {
          const result = results[index];
          if (result?.ok) {
            const accepted = (byRoom.get(item.roomId) ?? []).filter((cell) =>
              item.calendar.some((r) => r.from <= cell.date && cell.date <= r.to),
            );
            await rememberCells(trx, config.property_id, accepted, this.deps.clock.now());
            await resolveFailures(trx, config.property_id, 'calendar', [String(item.roomId)]);
            summary.updated += accepted.length;
          } else if (result) {
            // The other rooms' ranges still count; this room's cells stay unremembered and go out again next run.
            await recordFailure(
              trx,
              { propertyId: config.property_id, kind: 'calendar', entityId: String(item.roomId) },
              result.error,
            );
            summary.failed += 1;
          }
        }
        await recordPushed(trx, config.property_id, this.deps.clock.now());
      });
    }
  }

  private async clip(propertyId: string, requested: Partial<Range>): Promise<Range> {
    const { timezone }: { timezone: string } = await this.deps
      .db('properties')
      .where({ id: propertyId })
      .first('timezone');
    const today = todayIn(timezone, this.deps.clock.now());
    const last = addDays(today, this.deps.horizonDays - 1);
    const from = requested.from !== undefined && requested.from > today ? requested.from : today;
    const to = requested.to !== undefined && requested.to < last ? requested.to : last;
    return { from, to };
  }

  private async loadInput(propertyId: string, range: Range): Promise<AvailabilityInput> {
    const { db } = this.deps;
    const { timezone }: { timezone: string } = await db('properties').where({ id: propertyId }).first('timezone');
    const rooms: AvailabilityInput['rooms'] = await db('rooms')
      .where({ property_id: propertyId })
      .whereNotNull('beds24_room_id')
      .select('id', 'beds24_room_id', 'status', 'housekeeping_status', 'base_price', 'room_type');
    const roomIds = rooms.map((room) => room.id);
    const beds24RoomIds = [...new Set(rooms.map((room) => room.beds24_room_id as number))];
    const [stays, unassigned, blocks, rates, restrictions, published] = await Promise.all([
      db('reservations')
        .whereIn('room_id', roomIds)
        .whereIn('status', OCCUPYING_STATUSES)
        .where('check_in', '<=', range.to)
        .where('check_out', '>', range.from)
        .select('room_id', 'check_in', 'check_out', 'status') as Promise<AvailabilityInput['stays']>,
      db('reservations')
        .where({ property_id: propertyId })
        .whereNull('room_id')
        .whereIn('booked_beds24_room_id', beds24RoomIds)
        .whereIn('status', OCCUPYING_STATUSES)
        .where('check_in', '<=', range.to)
        .where('check_out', '>', range.from)
        .select('booked_beds24_room_id', 'check_in', 'check_out', 'status') as Promise<
        NonNullable<AvailabilityInput['unassigned']>
      >,
      db('maintenance_blocks')
        .whereIn('room_id', roomIds)
        .where('start_date', '<=', range.to)
        .where('end_date', '>', range.from)
        .select('room_id', 'start_date', 'end_date') as Promise<AvailabilityInput['blocks']>,
      db('room_rates')
        .whereIn('room_id', roomIds)
        .whereBetween('date', [range.from, range.to])
        .select('room_id', 'date', 'price') as Promise<AvailabilityInput['rates']>,
      storedRestrictions(db, propertyId, range.from, range.to),
      publishedRoomIds(db, propertyId),
    ]);
    const mappedIds = new Set(rooms.map((room) => room.beds24_room_id));
    return {
      ...range,
      today: todayIn(timezone, this.deps.clock.now()),
      horizonDays: this.deps.horizonDays,
      rooms,
      stays,
      unassigned,
      blocks,
      rates,
      restrictions,
      formerBeds24RoomIds: published.filter((id) => !mappedIds.has(id)).sort((a, b) => a - b),
    };
  }
}

/**
 * A night's write may raise what channels can sell when it carries a positive numAvail: Beds24's count may
 * already be lower than what we last wrote (a channel booking the PMS has not seen taken off it), so even a
 * value below the remembered one can be a raise there. A write of 0, one that leaves numAvail out, and a
 * blackout (nothing sells, whatever the count) never raise it.
 */
function mayRaise(cell: ChangedCell): boolean {
  return cell.keepsNumAvail !== true && cell.numAvail > 0 && cell.override !== 'blackout';
}

/** A run whose bookings could not go first ends with their error: its job retries, its outbox stays. */
function endRun(run: Run): void {
  if (run.bookingsWaiting !== undefined) throw run.bookingsWaiting;
}

function add(total: PushSummary, part: PushSummary): void {
  for (const key of Object.keys(total) as Array<keyof PushSummary>) total[key] += part[key];
}

/**
 * A write that takes something off sale goes at the closing priority, which may use every credit: fewer
 * units than Beds24 holds, or a night entering a stop-sell (blackout), whatever it was believed to be.
 */
function closesAnything(changed: ChangedCell[], remembered: RememberedCalendar): boolean {
  return changed.some((cell) => {
    const before = remembered.get(cell.beds24RoomId)?.get(cell.date);
    const entersBlackout = cell.override === 'blackout' && restrictionsOf(before).override !== 'blackout';
    return entersBlackout || (before !== undefined && cell.numAvail < before.numAvail);
  });
}
