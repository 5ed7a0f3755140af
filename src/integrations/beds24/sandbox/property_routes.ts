import { requireAccessToken, type Endpoint } from './api_pipeline.ts';
import { paginate } from './paging.ts';
import type { Property, Room } from './sandbox_model.ts';

function roomTypeView(room: Room): Record<string, unknown> {
  return {
    id: room.id,
    propertyId: room.propertyId,
    name: room.name,
    qty: room.qty,
    units: Array.from({ length: room.qty }, (_, i) => ({ id: i + 1, name: String(i + 1) })),
  };
}

function propertyView(property: Property, rooms: Room[]): Record<string, unknown> {
  return {
    id: property.id,
    name: property.name,
    propertyType: 'hotel',
    currency: property.currency,
    timezone: property.timezone,
    roomTypes: rooms.map(roomTypeView),
  };
}

export function propertyEndpoints(): Endpoint[] {
  return [
    {
      method: 'GET',
      path: '/properties',
      metered: true,
      authenticate: requireAccessToken,
      handle(ctx, accountId) {
        const ids = ctx.query.integers('id');
        const roomIds = ctx.query.integers('roomId');
        // Read only to reject a malformed value: the sandbox always lists every room type.
        ctx.query.boolean('includeAllRooms');
        const page = ctx.query.page();
        const rooms = ctx.state.roomsOfAccount(accountId);
        const properties = [...ctx.state.properties.values()]
          .filter((p) => p.accountId === accountId && (ids === undefined || ids.includes(p.id)))
          .filter((p) => roomIds === undefined || rooms.some((r) => r.propertyId === p.id && roomIds.includes(r.id)))
          .sort((a, b) => a.id - b.id);
        const { data, pages } = paginate(properties, page, ctx.pageSize, ctx.url);
        return {
          status: 200,
          body: {
            success: true,
            type: 'property',
            count: data.length,
            pages,
            data: data.map((p) => propertyView(p, rooms.filter((r) => r.propertyId === p.id))),
          },
        };
      },
    },
  ];
}
