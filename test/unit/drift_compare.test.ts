import { describe, expect, it } from 'vitest';
import type { CalendarRoom } from '../../src/integrations/beds24/client/beds24_schemas.ts';
import type { Cell } from '../../src/integrations/beds24/mappers/availability_mapper.ts';
import {
  compareCalendar,
  needsRoomStayLimits,
  readActual,
  type RoomStayLimits,
} from '../../src/integrations/beds24/services/drift_compare.ts';

const ROOM = 200001;
const DAY = '2027-03-01';

/** One night of Beds24 room 200001 as the GET answered it (`undefined`: the room answered, that night empty). */
function answer(range: Record<string, unknown> | undefined): CalendarRoom[] {
  return [{ roomId: ROOM, calendar: range === undefined ? [] : [{ from: DAY, to: DAY, ...range }] }];
}

function compare(
  cell: Cell,
  rooms: CalendarRoom[],
  { managed = false, limits }: { managed?: boolean; limits?: RoomStayLimits } = {},
) {
  const input = {
    from: DAY,
    desired: new Map([[ROOM, [cell]]]),
    actual: readActual(rooms),
    restrictionRooms: new Set(managed ? [ROOM] : []),
  };
  const calendar = compareCalendar({ ...input, roomStayLimits: limits ? new Map([[ROOM, limits]]) : undefined });
  return { needsLimits: needsRoomStayLimits(input), calendar };
}

const plain: Cell = { numAvail: 2, price1: 100 };
const restricted: Cell = { numAvail: 2, price1: 100, minStay: 3, maxStay: null, override: 'noCheckIn' };
const none = { min_stay: null, max_stay: null, override: 'none' };
const units = { num_avail: 2, price1: 100 };

type Case = [string, Cell, CalendarRoom[], { managed?: boolean; limits?: RoomStayLimits }, unknown[], boolean];
const night = (expected: object, actual: object) => [{ beds24_room_id: ROOM, date: DAY, expected, actual }];
const cta = { min_stay: 3, max_stay: null, override: 'noCheckIn' };
const shown = (range: Record<string, unknown>) => answer({ numAvail: 2, price1: 100, ...range });

describe('compareCalendar: restrictions', () => {
  it.each<Case>([
    [
      'a room the PMS does not manage, hand restrictions on a night it does not restrict: left alone',
      plain,
      shown({ minStay: 7, override: 'noCheckOut' }),
      {},
      [],
      false,
    ],
    ['a managed room, nothing set on either side: in step', plain, shown({}), { managed: true }, [], false],
    [
      'a managed room, a hand override: drift naming it',
      plain,
      shown({ override: 'blackout' }),
      { managed: true },
      night({ ...units, ...none }, { ...units, ...none, override: 'blackout' }),
      false,
    ],
    [
      "a managed room showing the room's own minStay where the PMS sets none: in step",
      plain,
      shown({ minStay: 2, maxStay: 30 }),
      { managed: true, limits: { minStay: 2, maxStay: 30 } },
      [],
      true,
    ],
    [
      "a managed room showing a minStay other than the room's own: drift",
      plain,
      shown({ minStay: 5 }),
      { managed: true, limits: { minStay: 2, maxStay: null } },
      night({ ...units, ...none }, { ...units, ...none, min_stay: 5 }),
      true,
    ],
    [
      'a night the PMS restricts, on any room: compared field by field',
      restricted,
      shown({ minStay: 3, override: 'noCheckIn' }),
      {},
      [],
      false,
    ],
    [
      "a night the PMS restricts that Beds24 shows open: drift, the answer's missing override read as none",
      restricted,
      shown({}),
      {},
      night({ ...units, ...cta }, { ...units, ...none }),
      false,
    ],
    [
      'a restricted night of a room Beds24 did not answer for: nothing shown, override included',
      restricted,
      [],
      {},
      night({ ...units, ...cta }, { num_avail: null, price1: null, min_stay: null, max_stay: null, override: null }),
      false,
    ],
    [
      'units differ on a night not compared for restrictions: the report has units and price only',
      plain,
      shown({ numAvail: 0, override: 'noCheckIn' }),
      {},
      night(units, { num_avail: 0, price1: 100 }),
      false,
    ],
  ])('%s', (_name, cell, rooms, options, expected, needsLimits) => {
    const result = compare(cell, rooms, options);
    expect(result.calendar).toEqual(expected);
    expect(result.needsLimits).toBe(needsLimits);
  });
});
