import { validateRequestBodyItem } from './openapi/openapi_schemas.ts';
import { addDays, isCalendarDate, todayIn } from './dates.ts';
import { itemResult, type ItemIssue, type ItemResult } from './api_answers.ts';
import { freeUnits, isPlainObject } from './booking_store.ts';
import { shownNumAvail } from './inventory_model.ts';
import type { SandboxState } from './sandbox_state.ts';
import type { CalendarValue, ChannelLimits, DayValues, Room } from './sandbox_model.ts';

/** Beds24 rejects ranges reaching further than about two years ahead; 720 days is the published safe limit. */
export const CALENDAR_HORIZON_DAYS = 720;

const ACTION = 'process inventory rooms calendar';
export const PRICE_FIELDS = Array.from({ length: 16 }, (_, i) => `price${i + 1}`);

export interface CalendarRangeInput {
  from: string;
  to: string;
  [field: string]: unknown;
}

export type CalendarDay = { date: string } & DayValues;

/** A night an API write gave a numeric numAvail, for the invariant recorder. */
export interface WrittenNight {
  roomId: number;
  date: string;
  numAvail: number;
}

/** Written fields that change what a channel can sell, so they fire the inventory webhook (restrictions do not). */
const INVENTORY_WEBHOOK_FIELDS = new Set(['numAvail', 'override', ...PRICE_FIELDS]);

interface WriteLimits {
  /** First day that may be written (today in the property's zone); earlier days are skipped with a warning. */
  firstDay?: string;
  /** Last day a range may reach; a range going past it is dropped whole. */
  lastDay?: string;
}

/**
 * POST /inventory/rooms/calendar: one result per room item; a bad item never stops the others. Nights
 * given a numeric numAvail are appended to `written`.
 */
export function writeCalendar(
  state: SandboxState,
  accountId: number,
  items: unknown[],
  written: WrittenNight[] = [],
): ItemResult[] {
  return items.map((item) => {
    const roomId = isPlainObject(item) && typeof item.roomId === 'number' ? item.roomId : undefined;
    const check = validateRequestBodyItem('POST', '/inventory/rooms/calendar', item);
    if (!check.ok)
      return failure(
        roomId,
        check.errors.map((e) => ({ action: ACTION, field: e.path, message: e.message })),
      );
    if (!isPlainObject(item) || roomId === undefined)
      return failure(roomId, [{ action: ACTION, field: 'roomId', message: 'roomId is required' }]);
    const room = state.roomOf(accountId, roomId);
    if (room === undefined)
      return failure(roomId, [
        { action: ACTION, field: 'roomId', message: `room ${roomId} does not exist in this account` },
      ]);
    if (!Array.isArray(item.calendar))
      return failure(roomId, [{ action: ACTION, field: 'calendar', message: 'calendar must be an array of ranges' }]);
    const today = todayIn(state.property(room.propertyId).timezone, state.now());
    const limits = { firstDay: today, lastDay: addDays(today, CALENDAR_HORIZON_DAYS) };
    return applyRanges(state, room, item.calendar, limits, written);
  });
}

/** The hotelier editing the calendar in the Beds24 UI: no "today" or horizon limits, never charged. */
export function editCalendar(state: SandboxState, roomId: number, ranges: unknown[]): ItemResult {
  const check = validateRequestBodyItem('POST', '/inventory/rooms/calendar', { roomId, calendar: ranges });
  if (!check.ok)
    return failure(
      roomId,
      check.errors.map((e) => ({ action: ACTION, field: e.path, message: e.message })),
    );
  return applyRanges(state, state.room(roomId), ranges, {});
}

function applyRanges(
  state: SandboxState,
  room: Room,
  ranges: unknown[],
  limits: WriteLimits,
  written: WrittenNight[] = [],
): ItemResult {
  const errors: ItemIssue[] = [];
  const warnings: ItemIssue[] = [];
  let daysWritten = 0;
  let inventoryTouched = false;
  let success = true;
  ranges.forEach((range, index) => {
    const field = `calendar.${index}`;
    if (!isPlainObject(range) || typeof range.from !== 'string' || typeof range.to !== 'string') {
      errors.push({ action: ACTION, field, message: 'each range needs from and to' });
      success = false;
      return;
    }
    const { from, to } = range;
    if (!isCalendarDate(from) || !isCalendarDate(to) || from > to) {
      errors.push({ action: ACTION, field, message: 'invalid dates' });
      success = false;
      return;
    }
    if (limits.lastDay !== undefined && to > limits.lastDay) {
      // Measured live: the straddling range is dropped, not clipped; only success:false and a warning say so.
      warnings.push({ action: ACTION, field, message: 'invalid dates' });
      success = false;
      return;
    }
    let start = from;
    if (limits.firstDay !== undefined && from < limits.firstDay) {
      const lastPast = to < limits.firstDay ? to : addDays(limits.firstDay, -1);
      warnings.push({
        action: ACTION,
        field,
        message: `dates ${from} to ${lastPast} are in the past and were not written`,
      });
      start = limits.firstDay;
    }
    const values = Object.fromEntries(Object.entries(range).filter(([key]) => key !== 'from' && key !== 'to'));
    const numAvail = values.numAvail;
    for (let date = start; date <= to; date = addDays(date, 1)) {
      writeDay(state, room, date, values);
      if (typeof numAvail === 'number') written.push({ roomId: room.id, date, numAvail });
      if (Object.keys(values).some((key) => INVENTORY_WEBHOOK_FIELDS.has(key))) inventoryTouched = true;
      daysWritten++;
    }
  });
  if (daysWritten > 0) state.changed();
  if (inventoryTouched) state.calendarChanged(room.id);
  return itemResult(success, {
    roomId: room.id,
    modified: daysWritten > 0 ? { roomId: room.id, days: daysWritten } : undefined,
    errors,
    warnings,
  });
}

function writeDay(state: SandboxState, room: Room, date: string, values: Record<string, unknown>): void {
  const days = state.roomCalendar(room.id);
  const day: DayValues = { ...(days.get(date) ?? {}) };
  const wasBlackout = day.override === 'blackout';
  for (const [key, value] of Object.entries(values)) {
    if (value === null) {
      delete day[key];
    } else if (key === 'channels' && isPlainObject(value)) {
      const channels = mergeChannels(isChannelLimits(day.channels) ? day.channels : {}, value);
      if (Object.keys(channels).length === 0) delete day.channels;
      else day.channels = channels;
    } else if (typeof value === 'number' || typeof value === 'string') {
      day[key] = value;
    }
  }
  // Spec: leaving a blackout without sending numAvail reopens the day at the maximum possible.
  if (wasBlackout && values.override === 'none' && !('numAvail' in values))
    day.numAvail = Math.max(0, freeUnits(state, room, date));
  if (Object.keys(day).length === 0) days.delete(date);
  else days.set(date, day);
}

function mergeChannels(current: ChannelLimits, changes: Record<string, unknown>): ChannelLimits {
  const merged: ChannelLimits = { ...current };
  for (const [channel, change] of Object.entries(changes)) {
    if (change === null || (isPlainObject(change) && change.maxBookings === null)) delete merged[channel];
    else if (isPlainObject(change) && typeof change.maxBookings === 'number')
      merged[channel] = { maxBookings: change.maxBookings };
  }
  return merged;
}

function isChannelLimits(value: CalendarValue | undefined): value is ChannelLimits {
  return typeof value === 'object';
}

/**
 * Every day of the inclusive range with whatever is stored for it (just `{date}` when nothing is); a
 * stored numAvail as the account's inventory model shows it.
 */
export function readDays(state: SandboxState, roomId: number, from: string, to: string): CalendarDay[] {
  const room = state.room(roomId);
  const days = state.calendar.get(roomId);
  const result: CalendarDay[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) {
    const day: CalendarDay = { date, ...structuredClone(days?.get(date) ?? {}) };
    if (typeof day.numAvail === 'number') day.numAvail = shownNumAvail(state, room, date, day.numAvail);
    result.push(day);
  }
  return result;
}

export interface CalendarRange {
  from: string;
  to: string;
  [field: string]: CalendarValue;
}

/**
 * GET's view of one room: only the requested fields, days without any of them left out, and runs of
 * consecutive days with equal values merged into one from/to range.
 */
export function readRanges(
  state: SandboxState,
  roomId: number,
  from: string,
  to: string,
  fields: readonly string[],
): CalendarRange[] {
  if (fields.length === 0) return [];
  const room = state.room(roomId);
  const days = state.calendar.get(roomId);
  const ranges: CalendarRange[] = [];
  let last: { range: CalendarRange; key: string } | undefined;
  for (let date = from; date <= to; date = addDays(date, 1)) {
    const stored = days?.get(date);
    const picked: DayValues = {};
    for (const field of fields) {
      const value = stored?.[field];
      if (field === 'numAvail' && typeof value === 'number') picked[field] = shownNumAvail(state, room, date, value);
      else if (value !== undefined) picked[field] = structuredClone(value);
    }
    if (Object.keys(picked).length === 0) {
      last = undefined;
      continue;
    }
    const key = stableKey(picked);
    if (last !== undefined && last.key === key && addDays(last.range.to, 1) === date) {
      last.range.to = date;
      continue;
    }
    const range: CalendarRange = { from: date, to: date, ...picked };
    ranges.push(range);
    last = { range, key };
  }
  return ranges;
}

function stableKey(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const entries = Object.entries(value).sort(([a], [b]) => a.localeCompare(b));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableKey(v)}`).join(',')}}`;
}

function failure(roomId: number | undefined, errors: ItemIssue[]): ItemResult {
  return itemResult(false, { roomId, errors });
}
