import { z } from 'zod';
import { PaginationQuery } from '../../../http/pagination.ts';
import { daysBetween } from '../../../utils/dates.ts';
import { Beds24Id, CalendarDateSchema, Id } from '../../../pms/common_schemas.ts';
import { GRID_MAX_NIGHTS } from '../services/calendar_grid.ts';

const secret = z.string().trim().min(1, 'must not be empty').max(2000);

export const ConfigBody = z
  .strictObject({
    property_id: Id,
    beds24_property_id: Beds24Id,
    invite_code: secret.optional(),
    refresh_token: secret.optional(),
    sync_enabled: z.boolean().optional(),
    push_sync_enabled: z.boolean().optional(),
    pull_sync_enabled: z.boolean().optional(),
  })
  .refine((body) => body.invite_code === undefined || body.refresh_token === undefined, {
    path: ['refresh_token'],
    error: 'send either invite_code or refresh_token, not both',
  });

export const PropertyIdParams = z.strictObject({ property_id: Id });

export const ResyncBody = z
  .strictObject({ property_id: Id, from: CalendarDateSchema.optional(), to: CalendarDateSchema.optional() })
  .refine((body) => body.from === undefined || body.to === undefined || daysBetween(body.from, body.to) >= 0, {
    path: ['to'],
    error: 'must not be before from',
  });

export const PullBody = z.strictObject({ property_id: Id });

export const StatusQuery = z.strictObject({ property_id: Id.optional() });

export const JobsQuery = z.strictObject({
  state: z.enum(['failed', 'retrying', 'resolved']).default('failed'),
  property_id: Id.optional(),
  ...PaginationQuery,
});

export const JobIdParams = z.strictObject({ id: Id });

export const VerifyBody = z.strictObject({ property_id: Id, repair: z.boolean().default(true) });

/** The grid's range: both ends optional (30 nights from today), `to` not before `from`, at most 90 nights. */
const gridNights = (query: { from?: string; to?: string }): number | undefined =>
  query.from === undefined || query.to === undefined ? undefined : daysBetween(query.from, query.to) + 1;

export const CalendarGridQuery = z
  .strictObject({ property_id: Id, from: CalendarDateSchema.optional(), to: CalendarDateSchema.optional() })
  .refine((query) => (gridNights(query) ?? 1) >= 1, { path: ['to'], error: 'must not be before from' })
  .refine((query) => (gridNights(query) ?? 1) <= GRID_MAX_NIGHTS, {
    path: ['to'],
    error: `range must cover at most ${GRID_MAX_NIGHTS} nights`,
  });

export const CallsQuery = z.strictObject({
  property_id: Id.optional(),
  limit: z.coerce.number().int('must be an integer').min(1).max(500).default(50),
});
