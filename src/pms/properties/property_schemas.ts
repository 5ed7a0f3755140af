import { z } from 'zod';
import { PaginationQuery } from '../../http/pagination.ts';
import { Currency, TimeZone, text } from '../common_schemas.ts';

export const CreatePropertyBody = z.strictObject({
  name: text(200),
  timezone: TimeZone.default('UTC'),
  currency: Currency.default('EUR'),
});
export type CreatePropertyInput = z.infer<typeof CreatePropertyBody>;

export const ListPropertiesQuery = z.strictObject({ ...PaginationQuery });

export interface PropertyRow {
  id: string;
  name: string;
  timezone: string;
  currency: string;
  created_at: Date;
  updated_at: Date;
}
