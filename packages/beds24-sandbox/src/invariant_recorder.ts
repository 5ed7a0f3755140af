import { addDays } from './dates.ts';
import type { WrittenNight } from './calendar_store.ts';
import { bookingsOnNight, isOverPublished, nightAvailability, type NightAvailability } from './inventory_model.ts';
import type { SandboxState } from './sandbox_state.ts';

export interface NightBooking {
  id: number;
  bookingTime: string;
  modifiedTime: string;
}

/** A calendar write that left a night published above the units that were truly free at that moment. */
export interface InvariantViolation {
  accountId: number;
  roomId: number;
  date: string;
  /** The numAvail the request wrote. */
  written: number;
  /** numAvail as Beds24 reports it right after the write, per the account's inventory model. */
  effective: number;
  /** qty − units of every blocking booking of the room that night, whoever made it. */
  trulyFree: number;
  /** Sandbox clock, ISO 8601 with milliseconds. */
  at: string;
  /** The blocking bookings on that night, by id. */
  bookings: NightBooking[];
  /**
   * Sandbox time of the account's latest GET /bookings whose answer was delivered before this write;
   * null when it never read. A booking whose modifiedTime is later was invisible to the writer (a race);
   * one modified earlier was readable and ignored.
   */
  lastBookingsReadAt: string | null;
}

export type OverPublishedNight = NightAvailability;

/**
 * Checks, at every API calendar write, that no night written with a numAvail is published above what is
 * truly free, and keeps every excess for tests to inspect.
 */
export class InvariantRecorder {
  readonly #violations: InvariantViolation[] = [];
  readonly #lastBookingsRead = new Map<number, string>();

  get violations(): InvariantViolation[] {
    return structuredClone(this.#violations);
  }

  reset(): void {
    this.#violations.length = 0;
  }

  bookingsRead(accountId: number, at: Date): void {
    this.#lastBookingsRead.set(accountId, at.toISOString());
  }

  lastBookingsReadAt(accountId: number): string | null {
    return this.#lastBookingsRead.get(accountId) ?? null;
  }

  /** Called after the whole request was applied; a night written twice in it is checked once. */
  checkWrite(state: SandboxState, accountId: number, written: WrittenNight[]): void {
    const last = new Map<string, WrittenNight>();
    for (const night of written) last.set(`${night.roomId}|${night.date}`, night);
    const at = state.now().toISOString();
    for (const night of last.values()) {
      const room = state.room(night.roomId);
      const availability = nightAvailability(state, room, night.date);
      if (!isOverPublished(availability)) continue;
      this.#violations.push({
        accountId,
        roomId: night.roomId,
        date: night.date,
        written: night.numAvail,
        effective: availability.effective,
        trulyFree: availability.trulyFree,
        at,
        bookings: bookingsOnNight(state, night.roomId, night.date).map((b) => ({
          id: b.id,
          bookingTime: b.bookingTime,
          modifiedTime: b.modifiedTime,
        })),
        lastBookingsReadAt: this.lastBookingsReadAt(accountId),
      });
    }
  }
}

/** Nights of the inclusive range whose current effective numAvail exceeds the truly free units (floored at 0). */
export function overPublished(state: SandboxState, roomId: number, from: string, to: string): OverPublishedNight[] {
  const room = state.room(roomId);
  const nights: OverPublishedNight[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) {
    const availability = nightAvailability(state, room, date);
    if (isOverPublished(availability)) nights.push(availability);
  }
  return nights;
}

export function availability(state: SandboxState, roomId: number, from: string, to: string): NightAvailability[] {
  const room = state.room(roomId);
  const nights: NightAvailability[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) nights.push(nightAvailability(state, room, date));
  return nights;
}
