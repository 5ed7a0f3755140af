import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, isCalendarDate, isTimeZone, localTimeIn, todayIn } from '../../src/utils/dates.ts';

describe('calendar dates', () => {
  it.each([
    ['2027-01-31', true],
    ['2028-02-29', true],
    ['2027-02-29', false],
    ['2027-13-01', false],
    ['2027-1-1', false],
    ['2027-01-01T00:00:00Z', false],
    ['', false],
  ])('isCalendarDate(%s) is %s', (value, expected) => {
    expect(isCalendarDate(value)).toBe(expected);
  });

  it.each([
    ['2027-01-31', 1, '2027-02-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2027-03-28', 1, '2027-03-29'],
    ['2027-01-01', -1, '2026-12-31'],
    ['2027-01-01', 365, '2028-01-01'],
  ])('addDays(%s, %i) = %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
    expect(daysBetween(date, expected)).toBe(days);
  });

  it.each([
    ['UTC', '2027-06-30T23:30:00Z', '2027-06-30'],
    ['Europe/Berlin', '2027-06-30T23:30:00Z', '2027-07-01'],
    ['America/Los_Angeles', '2027-07-01T05:00:00Z', '2027-06-30'],
    ['Pacific/Kiritimati', '2027-06-30T11:00:00Z', '2027-07-01'],
  ])('todayIn(%s) at %s is %s', (zone, instant, expected) => {
    expect(todayIn(zone, new Date(instant))).toBe(expected);
  });

  it.each([
    ['UTC', '2027-06-30T00:00:00Z', '2027-06-30', 0],
    ['UTC', '2027-06-30T23:59:59Z', '2027-06-30', 23 * 60 + 59],
    ['Europe/Berlin', '2027-06-30T01:15:00Z', '2027-06-30', 3 * 60 + 15],
    ['Pacific/Kiritimati', '2027-06-30T10:10:00Z', '2027-07-01', 10],
    ['Pacific/Pago_Pago', '2027-07-01T10:59:00Z', '2027-06-30', 23 * 60 + 59],
    ['Asia/Kathmandu', '2027-06-30T18:15:00Z', '2027-07-01', 0],
  ])('localTimeIn(%s) at %s is %s, minute %i', (zone, instant, date, minutes) => {
    expect(localTimeIn(zone, new Date(instant))).toEqual({ date, minutes });
  });

  it('recognises IANA time zones', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
