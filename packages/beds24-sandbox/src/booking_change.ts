import type { Footprint } from './inventory_model.ts';
import type { Booking } from './sandbox_model.ts';

/** Who changed a booking: `admin` is Beds24 itself (a channel booking), `api` a client of /v2. */
export type ChangeSource = 'api' | 'admin';

/** One applied booking change, handed to the inventory model and the webhook sender. */
export interface BookingChange {
  kind: 'created' | 'modified' | 'deleted';
  accountId: number;
  /** The booking after the change; for `deleted`, as it was when removed. */
  booking: Booking;
  before: Footprint | null;
  after: Footprint | null;
  source: ChangeSource;
  /** `actions.allowWebhooks: true` on the API item. */
  allowWebhooks: boolean;
  /** status, arrival, departure, roomId, unitId or roomQty changed (the fields that fire API webhooks). */
  availabilityFieldsChanged: boolean;
}
