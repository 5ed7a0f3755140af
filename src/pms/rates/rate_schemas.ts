import { z } from 'zod';
import { daysBetween } from '../../utils/dates.ts';
import { CalendarDateSchema, Money } from '../common_schemas.ts';

/** Beds24 takes prices up to about two years ahead; a wider range is almost certainly a typo. */
export const MAX_RATE_RANGE_DAYS = 731;

function inclusiveRange<T extends { from: string; to: string }>(range: T, ctx: z.RefinementCtx): void {
  const days = daysBetween(range.from, range.to);
  if (days < 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
  else if (days >= MAX_RATE_RANGE_DAYS) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: `range must cover at most ${MAX_RATE_RANGE_DAYS} nights` });
  }
}

export const SetRatesBody = z
  .strictObject({ from: CalendarDateSchema, to: CalendarDateSchema, price: Money })
  .superRefine(inclusiveRange);
export type SetRatesInput = z.infer<typeof SetRatesBody>;

export const RatesQuery = z
  .strictObject({ from: CalendarDateSchema, to: CalendarDateSchema })
  .superRefine(inclusiveRange);

export interface NightlyRate {
  date: string;
  price: number;
}
