import { describe, expect, it } from 'vitest';
import { stayRuleViolations } from '../../src/pms/reservations/reservation_rules.ts';

const stay = { check_in: '2027-01-10', check_out: '2027-01-12', adults: 2, children: 0 };

describe('stayRuleViolations', () => {
  it.each([
    ['a valid stay', stay, 2, []],
    ['one night', { ...stay, check_out: '2027-01-11' }, 2, []],
    ['exactly 365 nights', { ...stay, check_out: '2028-01-10' }, 2, []],
    ['366 nights', { ...stay, check_out: '2028-01-11' }, 2, ['check_out']],
    ['zero nights', { ...stay, check_out: '2027-01-10' }, 2, ['check_out']],
    ['check-out first', { ...stay, check_out: '2027-01-01' }, 2, ['check_out']],
    ['occupancy exactly full', { ...stay, adults: 1, children: 1 }, 2, []],
    ['over occupancy', { ...stay, adults: 2, children: 1 }, 2, ['adults']],
    ['no adults', { ...stay, adults: 0 }, 2, ['adults']],
    ['several problems at once', { ...stay, check_out: '2027-01-09', adults: 3 }, 2, ['check_out', 'adults']],
    ['across a leap day', { check_in: '2028-02-28', check_out: '2028-03-01', adults: 1, children: 0 }, 1, []],
  ])('%s', (_name, input, maxOccupancy, paths) => {
    expect(stayRuleViolations(input, maxOccupancy).map((d) => d.path)).toEqual(paths);
  });
});
