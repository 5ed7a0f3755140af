import { ValidationError, type ErrorDetail } from '../../errors.ts';
import { daysBetween } from '../../utils/dates.ts';

export const MAX_STAY_NIGHTS = 365;

export interface StayFields {
  check_in: string;
  check_out: string;
  adults: number;
  children: number;
}

/** The contract's rules on a reservation's own values, checked on the merged state of a create or an update. */
export function stayRuleViolations(stay: StayFields, maxOccupancy: number): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  const nights = daysBetween(stay.check_in, stay.check_out);
  if (nights < 1) details.push({ path: 'check_out', message: 'must be after check_in' });
  else if (nights > MAX_STAY_NIGHTS)
    details.push({ path: 'check_out', message: `stay must be at most ${MAX_STAY_NIGHTS} nights` });
  if (stay.adults < 1) details.push({ path: 'adults', message: 'must be at least 1' });
  if (stay.adults + stay.children > maxOccupancy) {
    details.push({
      path: 'adults',
      message: `adults + children (${stay.adults + stay.children}) exceeds the room's max_occupancy (${maxOccupancy})`,
    });
  }
  return details;
}

export function assertStayRules(stay: StayFields, maxOccupancy: number): void {
  const details = stayRuleViolations(stay, maxOccupancy);
  if (details.length > 0) throw new ValidationError(details);
}
