import { describe, expect, it } from 'vitest';
import { addDays, isCalendarDate, isTimeZone, todayIn } from '../src/dates.ts';

describe('the sandbox date helpers', () => {
  it.each<[string, boolean]>([
    ['2024-02-29', true],
    ['2100-02-29', false],
    ['2026-04-31', false],
    ['2026-00-10', false],
    ['2026-3-10', false],
    ['2026-03-10 ', false],
    ['2026-03-10T00:00:00', false],
  ])('isCalendarDate(%j) is %s', (value, expected) => {
    expect(isCalendarDate(value)).toBe(expected);
  });

  it.each<[string, number, string]>([
    ['2026-12-31', 1, '2027-01-01'],
    ['2024-03-01', -1, '2024-02-29'],
    ['2026-03-29', 1, '2026-03-30'],
    ['2026-03-10', 720, '2028-02-28'],
  ])('addDays(%s, %i) is %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  it.each<[string, string, string]>([
    ['Europe/Berlin', '2026-03-09T23:30:00Z', '2026-03-10'],
    ['America/New_York', '2026-03-10T03:59:00Z', '2026-03-09'],
    ['Pacific/Pago_Pago', '2026-01-01T10:59:00Z', '2025-12-31'],
  ])('todayIn(%s) at %s is %s', (zone, instant, expected) => {
    expect(todayIn(zone, new Date(instant))).toBe(expected);
  });

  it('tells IANA time zones from other names', () => {
    expect([isTimeZone('Asia/Kathmandu'), isTimeZone('Europe/Atlantis'), isTimeZone('')]).toEqual([true, false, false]);
  });
});
