import { MAX_POST_ITEMS, badRequest, requireAccessToken, type Endpoint } from './api_pipeline.ts';
import { PRICE_FIELDS, readRanges, writeCalendar, type WrittenNight } from './calendar_store.ts';
import type { InvariantRecorder } from './invariant_recorder.ts';
import { paginate } from './paging.ts';
import { Beds24RequestError } from './sandbox_errors.ts';
import type { QueryParams } from './query_params.ts';

const INCLUDE_FLAGS: ReadonlyArray<[flag: string, fields: readonly string[]]> = [
  ['includeNumAvail', ['numAvail']],
  ['includeMinStay', ['minStay']],
  ['includeMaxStay', ['maxStay']],
  ['includeMultiplier', ['multiplier']],
  ['includeOverride', ['override']],
  ['includePrices', PRICE_FIELDS],
  ['includeChannels', ['channels']],
  // Linked prices are computed from other rooms in Beds24; the sandbox stores none, so the flag adds nothing.
  ['includeLinkedPrices', []],
];

function includedFields(query: QueryParams): string[] {
  return INCLUDE_FLAGS.filter(([flag]) => query.boolean(flag)).flatMap(([, fields]) => fields);
}

function requiredDate(query: QueryParams, name: string): string {
  const value = query.date(name);
  if (value === undefined) throw new Beds24RequestError(`Parameter ${name} is required`);
  return value;
}

export function calendarEndpoints(invariants?: InvariantRecorder): Endpoint[] {
  return [
    {
      method: 'GET',
      path: '/inventory/rooms/calendar',
      metered: true,
      authenticate: requireAccessToken,
      handle(ctx, accountId) {
        const startDate = requiredDate(ctx.query, 'startDate');
        const endDate = requiredDate(ctx.query, 'endDate');
        if (endDate < startDate) return badRequest('Parameter endDate must not be before startDate');
        const roomIds = ctx.query.integers('roomId');
        const propertyIds = ctx.query.integers('propertyId');
        const fields = includedFields(ctx.query);
        const page = ctx.query.page();
        const rooms = ctx.state
          .roomsOfAccount(accountId)
          .filter(
            (room) =>
              (roomIds === undefined || roomIds.includes(room.id)) &&
              (propertyIds === undefined || propertyIds.includes(room.propertyId)),
          );
        const { data, pages } = paginate(rooms, page, ctx.pageSize, ctx.url);
        return {
          status: 200,
          body: {
            success: true,
            type: 'calendar',
            count: data.length,
            pages,
            data: data.map((room) => ({
              roomId: room.id,
              propertyId: room.propertyId,
              calendar: readRanges(ctx.state, room.id, startDate, endDate, fields),
            })),
          },
        };
      },
    },
    {
      method: 'POST',
      path: '/inventory/rooms/calendar',
      metered: true,
      authenticate: requireAccessToken,
      handle(ctx, accountId) {
        const body = ctx.json();
        if (!Array.isArray(body)) return badRequest('Request body must be an array of rooms');
        if (body.length > MAX_POST_ITEMS) return badRequest(`At most ${MAX_POST_ITEMS} items are allowed per request`);
        const written: WrittenNight[] = [];
        const results = writeCalendar(ctx.state, accountId, body, written);
        invariants?.checkWrite(ctx.state, accountId, written);
        return { status: 201, body: results };
      },
    },
  ];
}
