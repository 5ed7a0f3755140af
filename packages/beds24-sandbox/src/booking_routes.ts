import { MAX_POST_ITEMS, badRequest, requireAccessToken, type Endpoint } from './api_pipeline.ts';
import { findBookings, parseBookingQuery } from './booking_query.ts';
import { bookingGroupOf, bookingView, deleteBookings, writeBookings } from './booking_store.ts';
import type { InvariantRecorder } from './invariant_recorder.ts';
import { paginate } from './paging.ts';

export function bookingEndpoints(invariants?: InvariantRecorder): Endpoint[] {
  return [
    {
      method: 'GET',
      path: '/bookings',
      metered: true,
      authenticate: requireAccessToken,
      handle(ctx, accountId) {
        const query = parseBookingQuery(ctx.query);
        const readAt = ctx.state.now();
        const found = findBookings(ctx.state, accountId, query);
        const { data, pages } = paginate(found, query.page, ctx.pageSize, ctx.url);
        const view = {
          infoItems: query.includeInfoItems,
          invoiceItems: query.includeInvoiceItems,
          guests: query.includeGuests,
          bookingGroup: query.includeBookingGroup,
        };
        const bookings = data.map((b) => {
          const group = query.includeBookingGroup ? bookingGroupOf(ctx.state, b) : null;
          return bookingView(b, { ...view, group });
        });
        return {
          status: 200,
          body: { success: true, type: 'booking', count: data.length, pages, data: bookings },
          afterSend: () => invariants?.bookingsRead(accountId, readAt),
        };
      },
    },
    {
      method: 'POST',
      path: '/bookings',
      metered: true,
      authenticate: requireAccessToken,
      handle(ctx, accountId) {
        const body = ctx.json();
        if (!Array.isArray(body)) return badRequest('Request body must be an array of bookings');
        if (body.length > MAX_POST_ITEMS) return badRequest(`At most ${MAX_POST_ITEMS} items are allowed per request`);
        return { status: 201, body: writeBookings(ctx.state, accountId, body) };
      },
    },
    {
      method: 'DELETE',
      path: '/bookings',
      metered: true,
      authenticate: requireAccessToken,
      handle(ctx, accountId) {
        const ids = ctx.query.integers('id');
        if (ids === undefined) return badRequest('Parameter id is required');
        return { status: 201, body: deleteBookings(ctx.state, accountId, ids) };
      },
    },
  ];
}
