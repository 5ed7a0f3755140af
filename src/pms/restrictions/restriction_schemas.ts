import { z } from 'zod';
import { daysBetween } from '../../utils/dates.ts';
import { CalendarDateSchema, text } from '../common_schemas.ts';

/** Beds24 takes calendar values up to about two years ahead; a wider range is almost certainly a typo. */
export const MAX_RESTRICTION_NIGHTS = 730;

export const RESTRICTION_FIELDS = [
  'min_stay',
  'max_stay',
  'closed_to_arrival',
  'closed_to_departure',
  'stop_sell',
] as const;
export type RestrictionField = (typeof RESTRICTION_FIELDS)[number];

/** Beds24's own bounds (`calendar` schema): minStay 1–365, maxStay 1–364. */
const nights = (max: number) =>
  z
    .number()
    .int('must be a whole number of nights')
    .min(1, `must be from 1 to ${max}`)
    .max(max, `must be from 1 to ${max}`);

const flag = z.boolean();

function inclusiveRange(range: { from: string; to: string }, ctx: z.RefinementCtx): void {
  const days = daysBetween(range.from, range.to);
  if (days < 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
  else if (days + 1 > MAX_RESTRICTION_NIGHTS) {
    const message = `range must cover at most ${MAX_RESTRICTION_NIGHTS} nights`;
    ctx.addIssue({ code: 'custom', path: ['to'], message });
  }
}

/**
 * Sets the given fields on every night of [from, to]; a field left out keeps each night's value, `null`
 * clears it (a flag cleared with `null` is `false`).
 */
export const SetRestrictionsBody = z
  .strictObject({
    room_type: text(100),
    from: CalendarDateSchema,
    to: CalendarDateSchema,
    min_stay: nights(365).nullable().optional(),
    max_stay: nights(364).nullable().optional(),
    closed_to_arrival: flag.nullable().optional(),
    closed_to_departure: flag.nullable().optional(),
    stop_sell: flag.nullable().optional(),
  })
  .superRefine((body, ctx) => {
    inclusiveRange(body, ctx);
    if (RESTRICTION_FIELDS.every((field) => body[field] === undefined)) {
      ctx.addIssue({ code: 'custom', path: [], message: `send at least one of ${RESTRICTION_FIELDS.join(', ')}` });
    }
    if (body.min_stay != null && body.max_stay != null && body.max_stay < body.min_stay) {
      ctx.addIssue({ code: 'custom', path: ['max_stay'], message: `must not be below min_stay (${body.min_stay})` });
    }
  });
export type SetRestrictionsInput = z.infer<typeof SetRestrictionsBody>;

export const RestrictionsQuery = z
  .strictObject({ room_type: text(100).optional(), from: CalendarDateSchema, to: CalendarDateSchema })
  .superRefine(inclusiveRange);

/** One night of one room type, as the GET answers it: `null`/`false` where nothing is set. */
export interface NightRestrictions {
  date: string;
  room_type: string;
  min_stay: number | null;
  max_stay: number | null;
  closed_to_arrival: boolean;
  closed_to_departure: boolean;
  stop_sell: boolean;
}

/** The fields a write sets, normalised as stored: only the ones given, a flag cleared with null is false. */
export type RestrictionChanges = Partial<Pick<NightRestrictions, RestrictionField>>;

export function restrictionChanges(input: SetRestrictionsInput): RestrictionChanges {
  const changes: RestrictionChanges = {};
  if (input.min_stay !== undefined) changes.min_stay = input.min_stay;
  if (input.max_stay !== undefined) changes.max_stay = input.max_stay;
  if (input.closed_to_arrival !== undefined) changes.closed_to_arrival = input.closed_to_arrival ?? false;
  if (input.closed_to_departure !== undefined) changes.closed_to_departure = input.closed_to_departure ?? false;
  if (input.stop_sell !== undefined) changes.stop_sell = input.stop_sell ?? false;
  return changes;
}
