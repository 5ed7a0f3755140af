import type { CalendarDate } from '../../../utils/dates.ts';
import type { Override } from '../mappers/restriction_mapper.ts';
import type { SyncKind } from '../queue/job_kinds.ts';

/**
 * The rows of the sync's tables, declared once. Knex types `db('<table>')` from the augmentation below, so
 * the store's builder queries return these types without casts; raw statements name them explicitly.
 */

export interface Beds24ConfigTable {
  property_id: string;
  beds24_property_id: number;
  beds24_account_id: number | null;
  /** Encrypted; null when the property is not connected. */
  refresh_token: string | null;
  /** Encrypted, with its expiry: the cached access token every process shares. */
  access_token: string | null;
  access_token_expires_at: Date | null;
  sync_enabled: boolean;
  push_sync_enabled: boolean;
  /** Pulls and webhook processing (with `sync_enabled`). */
  pull_sync_enabled: boolean;
  connected_at: Date | null;
  last_push_at: Date | null;
  /** The hotel's local date the calendar was last brought up for. */
  calendar_date: CalendarDate | null;
  /** The local date of the last nightly check. */
  nightly_run_on: CalendarDate | null;
  created_at: Date;
  updated_at: Date;
}

export interface PendingChangeTable {
  property_id: string;
  kind: SyncKind;
  entity_id: string;
  version: number;
  first_queued_at: Date;
  last_queued_at: Date;
  /** When a push read the change to send it; null until one does. */
  taken_at: Date | null;
  /** The first edit of the row after a push took it: what that push does not carry. */
  requeued_at: Date | null;
  /** Edits the row holds that no push took (since a push took it, or since it was recorded). */
  edits: number;
}

export type ReservationSyncState = 'pending' | 'synced' | 'failed' | 'skipped';

export interface ReservationSyncTable {
  reservation_id: string;
  state: ReservationSyncState;
  last_pushed_at: Date | null;
  last_error: string | null;
  create_sent_at: Date | null;
  /** Where the booking takes a unit in Beds24 as last written (all null: nowhere, or not known). */
  pushed_beds24_room_id: number | null;
  pushed_arrival: string | null;
  pushed_departure: string | null;
  updated_at: Date;
}

/** What the failed list holds: one refused booking, one refused Beds24 room calendar, or a job that gave up. */
export type FailureKind = 'reservation' | 'calendar' | 'job';

export interface SyncFailureTable {
  id: string;
  property_id: string;
  kind: FailureKind;
  /** The reservation id, the Beds24 room id of a refused calendar item, or the job kind of a job that gave up. */
  entity_id: string;
  state: 'failed' | 'retrying' | 'resolved';
  error_code: string;
  error_message: string;
  attempts: number;
  job_id: string | null;
  failed_at: Date;
  updated_at: Date;
}

export interface CalendarStateTable {
  property_id: string;
  beds24_room_id: number;
  date: CalendarDate;
  num_avail: number;
  price1: number | null;
  /** Restrictions Beds24 accepted; a null override means none was ever sent (Beds24 holds its own). */
  min_stay: number | null;
  max_stay: number | null;
  override: Override | null;
  pushed_at: Date;
}

/** A Beds24 room whose restrictions the PMS manages: every calendar write of it carries them. */
export interface RestrictionRoomTable {
  property_id: string;
  beds24_room_id: number;
  first_sent_at: Date;
}

/** Calendar values as the drift check reports them (snake_case, as the API answers them). */
export interface DriftValues {
  num_avail: number | null;
  price1: number | null;
  min_stay?: number | null;
  max_stay?: number | null;
  /** What Beds24 showed may be an override the PMS never sends. */
  override?: string | null;
}

/** A night the last drift check found different in Beds24. */
export interface CalendarDriftTable {
  property_id: string;
  beds24_room_id: number;
  date: CalendarDate;
  /** jsonb: JSON text on insert, parsed when read. */
  expected: DriftValues | string;
  actual: DriftValues | string;
  cause: string;
  checked_at: Date;
}

export interface PublishedRoomTable {
  property_id: string;
  beds24_room_id: number;
  first_published_at: Date;
}

export interface RoomCatalogTable {
  property_id: string;
  beds24_property_id: number;
  /** bigint[]: written as numbers, read back as strings (pg parses int8 arrays as text). */
  room_ids: Array<number | string>;
  fetched_at: Date | null;
  asked_at: Date;
}

export interface CreditMeterTable {
  account_key: string;
  remaining: number | null;
  resets_at: Date | null;
  updated_at: Date;
}

export interface SyncLogTable {
  id: number;
  created_at: Date;
  account_key: string;
  property_id: string | null;
  method: string;
  path: string;
  status: number | null;
  cost: number | null;
  remaining: number | null;
  duration_ms: number;
  outcome: string;
  /** JSON text on insert, parsed JSON when read. */
  request: unknown;
  response: unknown;
  error: string | null;
}

/** Times on the injected clock; an incremental pull or a full import is due when asked after the last one. */
export interface PullStateTable {
  property_id: string;
  /** The start of the last pull whose every booking was applied: the next pull reads from here (less an overlap). */
  cursor: Date | null;
  /** When the last successful pull (incremental or full) ended. */
  last_pull_at: Date | null;
  /** The start of the last successful full import. */
  last_full_import_at: Date | null;
  pull_requested_at: Date | null;
  full_import_requested_at: Date | null;
  /** When the interval pull is next due (claimed by one process's scheduler tick). */
  next_pull_at: Date | null;
  /** The last pull an inventory webhook asked for (at most one per INVENTORY_PULL_SPACING). */
  inventory_pull_at: Date | null;
  updated_at: Date;
}

/** What the PMS made of a Beds24 booking it read. */
export type ImportOutcome = 'imported' | 'ours' | 'inquiry' | 'unmapped' | 'invalid' | 'not_found' | 'other_property';

export interface ImportedBookingTable {
  property_id: string;
  beds24_booking_id: number;
  outcome: ImportOutcome;
  /** Beds24's modifiedTime of the version applied, as Beds24 wrote it. */
  modified_time: string | null;
  fingerprint: string | null;
  /** When the content of the version held was read from Beds24 (our clock; the start of the read). */
  version_read_at: Date | null;
  /** The last read of this booking by id (webhook hints): at most one per pull interval. */
  last_read_at: Date | null;
  imported_at: Date | null;
  updated_at: Date;
}

export type WebhookKind = 'booking' | 'inventory';

/** One webhook delivery: ids, status and modifiedTime only, never a guest's personal data. */
export interface WebhookInboxTable {
  id: number;
  property_id: string;
  kind: WebhookKind;
  beds24_property_id: number;
  beds24_booking_id: number | null;
  beds24_room_id: number | null;
  status: string | null;
  modified_time: string | null;
  received_at: Date;
  /** A hint for a booking read less than an interval ago waits until its next allowed read. */
  not_before: Date | null;
  processed_at: Date | null;
}

declare module 'knex/types/tables.js' {
  interface Tables {
    beds24_config: Beds24ConfigTable;
    beds24_pending_changes: PendingChangeTable;
    beds24_reservation_sync: ReservationSyncTable;
    beds24_sync_failures: SyncFailureTable;
    beds24_calendar_state: CalendarStateTable;
    beds24_published_rooms: PublishedRoomTable;
    beds24_restriction_rooms: RestrictionRoomTable;
    beds24_calendar_drift: CalendarDriftTable;
    beds24_room_catalog: RoomCatalogTable;
    beds24_credit_meter: CreditMeterTable;
    beds24_sync_log: SyncLogTable;
    beds24_pull_state: PullStateTable;
    beds24_imported_bookings: ImportedBookingTable;
    beds24_webhook_inbox: WebhookInboxTable;
  }
}
