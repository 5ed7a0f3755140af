import { describe, expect, it } from 'vitest';
import { compareRoomNumbers } from '../../src/pms/reservations/room_assignment.ts';

describe('compareRoomNumbers', () => {
  it.each<[string, string, string]>([
    ['9', '10', 'digit runs compare as numbers'],
    ['10', '101', 'a longer number is larger'],
    ['101', 'A1', 'digits before letters'],
    ['2', '2A', 'a number alone before the same number with a suffix'],
    ['2A', '2B', 'suffixes in letter order'],
    ['2b', '2C', 'letters without regard to case'],
    ['A', 'a', 'equal ignoring case: upper case first, so the order is total'],
    ['B2', 'B10', 'numbers inside text compare as numbers'],
    ['07', '7', 'equal numbers: the raw text decides'],
    ['7', '08', 'leading zeros do not count'],
    ['99999999999999999998', '99999999999999999999', 'numbers beyond float precision compare exactly'],
    ['1-2', '1-10', 'several digit runs'],
    ['Suite 2', 'Suite 10', 'words then numbers'],
  ])('%s before %s (%s)', (first, second) => {
    expect(compareRoomNumbers(first, second)).toBeLessThan(0);
    expect(compareRoomNumbers(second, first)).toBeGreaterThan(0);
  });

  it.each(['101', 'A1', '07'])('%s equals itself', (value) => {
    expect(compareRoomNumbers(value, value)).toBe(0);
  });

  it("sorts a hotel's room list as people read it", () => {
    const rooms = ['A1', '10', 'B10', '101', '9', 'B2', '1', '100', 'a2'];
    expect([...rooms].sort(compareRoomNumbers)).toEqual(['1', '9', '10', '100', '101', 'A1', 'a2', 'B2', 'B10']);
  });
});
