import { z } from 'zod';
import { PaginationQuery } from '../../http/pagination.ts';
import { Beds24Id, Id, Money, optionalText, patchOf, text } from '../common_schemas.ts';

export const ROOM_STATUSES = ['active', 'inactive'] as const;
export const HOUSEKEEPING_STATUSES = ['clean', 'dirty', 'inspected', 'out_of_order'] as const;

const roomFields = {
  number: text(20),
  name: optionalText(100),
  room_type: text(100),
  base_price: Money,
  max_occupancy: z.number().int('must be an integer').min(1).max(99),
  status: z.enum(ROOM_STATUSES),
  beds24_room_id: Beds24Id.nullable(),
};

export const CreateRoomBody = z.strictObject({
  property_id: Id,
  ...roomFields,
  status: roomFields.status.default('active'),
  beds24_room_id: roomFields.beds24_room_id.optional(),
});
export type CreateRoomInput = z.infer<typeof CreateRoomBody>;

export const UpdateRoomBody = patchOf(roomFields);
export type UpdateRoomInput = z.infer<typeof UpdateRoomBody>;

export const UpdateHousekeepingBody = z.strictObject({ housekeeping_status: z.enum(HOUSEKEEPING_STATUSES) });

export const ListRoomsQuery = z.strictObject({ property_id: Id.optional(), ...PaginationQuery });

export interface RoomRow {
  id: string;
  property_id: string;
  number: string;
  name: string | null;
  room_type: string;
  base_price: number;
  max_occupancy: number;
  status: (typeof ROOM_STATUSES)[number];
  housekeeping_status: (typeof HOUSEKEEPING_STATUSES)[number];
  beds24_room_id: number | null;
  created_at: Date;
  updated_at: Date;
}
