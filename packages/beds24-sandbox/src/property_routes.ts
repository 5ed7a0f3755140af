import { validateRequestBodyItem } from './openapi/openapi_schemas.ts';
import { itemResult, type ItemIssue, type ItemResult } from './api_answers.ts';
import { MAX_POST_ITEMS, badRequest, requireAccessToken, type Endpoint } from './api_pipeline.ts';
import { isPlainObject } from './booking_store.ts';
import { paginate } from './paging.ts';
import type { Property, PropertyWebhooks, Room } from './sandbox_model.ts';
import type { SandboxState } from './sandbox_state.ts';

const ACTION = 'modify property';

/**
 * What a property that never had a booking webhook configured starts from: Beds24's setting predates
 * version 2, so a client that sends only a url gets version one (assumed, not measured).
 */
export const DEFAULT_PROPERTY_WEBHOOKS: PropertyWebhooks = {
  version: 'one',
  url: '',
  additionalData: 'none',
  customHeader: '',
};

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
    ...(property.webhooks === undefined ? {} : { webhooks: { ...property.webhooks } }),
    roomTypes: rooms.map(roomTypeView),
  };
}

/**
 * One POST /properties item. The sandbox modifies existing properties only, and only `name` and
 * `webhooks` (merged field by field, as Beds24 updates send only what changes); other fields are ignored
 * with a warning.
 */
function writeProperty(state: SandboxState, accountId: number, item: unknown): ItemResult {
  const check = validateRequestBodyItem('POST', '/properties', item);
  if (!check.ok) return refused(...check.errors.map((e) => ({ action: ACTION, field: e.path, message: e.message })));
  if (!isPlainObject(item)) return refused({ action: ACTION, field: '', message: 'each property must be an object' });
  if (typeof item.id !== 'number') {
    const message = 'the sandbox does not create properties through the API; give the id of an existing property';
    return refused({ action: 'new property', field: 'id', message });
  }
  const property = state.properties.get(item.id);
  if (property === undefined || property.accountId !== accountId) {
    return refused({ action: ACTION, field: 'id', message: `property ${item.id} does not exist in this account` });
  }
  const warnings: ItemIssue[] = Object.keys(item)
    .filter((key) => !['id', 'name', 'webhooks'].includes(key))
    .map((key) => ({ action: ACTION, field: key, message: `${key} is not supported by the sandbox and was ignored` }));
  const modified: Record<string, unknown> = { id: property.id };
  if (typeof item.name === 'string') {
    property.name = item.name;
    modified.name = item.name;
    state.changed();
  }
  if (isPlainObject(item.webhooks)) {
    // The schema check above guarantees each known key has its documented type.
    const sent = item.webhooks as Partial<PropertyWebhooks>;
    const current = property.webhooks ?? DEFAULT_PROPERTY_WEBHOOKS;
    const merged: PropertyWebhooks = {
      version: sent.version ?? current.version,
      url: sent.url ?? current.url,
      additionalData: sent.additionalData ?? current.additionalData,
      customHeader: sent.customHeader ?? current.customHeader,
    };
    state.setPropertyWebhooks(property.id, merged);
    modified.webhooks = { ...merged };
  }
  return itemResult(true, { modified, warnings });
}

function refused(...errors: ItemIssue[]): ItemResult {
  return itemResult(false, { errors });
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
            data: data.map((p) =>
              propertyView(
                p,
                rooms.filter((r) => r.propertyId === p.id),
              ),
            ),
          },
        };
      },
    },
    {
      method: 'POST',
      path: '/properties',
      metered: true,
      authenticate: requireAccessToken,
      handle(ctx, accountId) {
        const body = ctx.json();
        if (!Array.isArray(body)) return badRequest('Request body must be an array of properties');
        if (body.length > MAX_POST_ITEMS) return badRequest(`At most ${MAX_POST_ITEMS} items are allowed per request`);
        return { status: 201, body: body.map((item) => writeProperty(ctx.state, accountId, item)) };
      },
    },
  ];
}
