import { z } from 'zod';
import { PaginationQuery } from '../../http/pagination.ts';
import { daysBetween } from '../../utils/dates.ts';
import { CalendarDateSchema, optionalText } from '../common_schemas.ts';

export const MAX_BLOCK_NIGHTS = 731;

export const CreateMaintenanceBody = z
  .strictObject({ start_date: CalendarDateSchema, end_date: CalendarDateSchema, reason: optionalText(500) })
  .superRefine((body, ctx) => {
    const nights = daysBetween(body.start_date, body.end_date);
    if (nights < 1) ctx.addIssue({ code: 'custom', path: ['end_date'], message: 'must be after start_date' });
    else if (nights > MAX_BLOCK_NIGHTS) {
      ctx.addIssue({ code: 'custom', path: ['end_date'], message: `block must be at most ${MAX_BLOCK_NIGHTS} nights` });
    }
  });
export type CreateMaintenanceInput = z.infer<typeof CreateMaintenanceBody>;

export const ListMaintenanceQuery = z.strictObject({ ...PaginationQuery });

export interface MaintenanceRow {
  id: string;
  room_id: string;
  start_date: string;
  end_date: string;
  reason: string | null;
  created_at: Date;
}
