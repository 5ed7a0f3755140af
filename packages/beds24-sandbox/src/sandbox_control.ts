import type { ItemResult } from './api_answers.ts';
import type { WriteBookingsOptions } from './booking_store.ts';
import type { CalendarDay } from './calendar_store.ts';
import type { CreditMeter } from './credit_window.ts';
import type { NightAvailability } from './inventory_model.ts';
import type { InvariantViolation, OverPublishedNight } from './invariant_recorder.ts';
import type { RequestLogEntry } from './request_log.ts';
import type { BookingStatus, InfoItem, InventoryModel, InventoryWebhook, PropertyWebhooks } from './sandbox_model.ts';
import type {
  CostTable,
  CreateAccountInput,
  CreatedAccount,
  CreditWindowInput,
  Faults,
  FaultsInput,
  InvalidateTokensInput,
  WebhookFaults,
  WebhookFaultsInput,
} from './sandbox_options.ts';
import type { WebhookDelivery } from './webhook_sender.ts';

/** Admin booking writes: see WriteBookingsOptions.respectAvailability. */
export type AdminBookingOptions = Pick<WriteBookingsOptions, 'respectAvailability'>;

export type PropertyWebhooksInput = Partial<PropertyWebhooks> & { url: string };
export type InventoryWebhookInput = { url: string; customHeader?: string };

/** A booking as the inspection API shows it: the API view plus the owning account. */
export interface SandboxBookingView {
  id: number;
  accountId: number;
  propertyId: number;
  roomId: number;
  status: BookingStatus;
  arrival: string;
  departure: string;
  bookingTime: string;
  modifiedTime: string;
  cancelTime: string | null;
  infoItems: InfoItem[];
  invoiceItems: Array<Record<string, unknown>>;
  [field: string]: unknown;
}

export interface CreditStatus extends CreditMeter {
  /** Credits spent since the sandbox started or the request log was last reset. */
  spent: number;
}

/**
 * The sandbox's control surface, which the `/_sandbox` routes mirror over HTTP. Beds24Sandbox implements
 * it (its methods say what each does); the routes depend on this interface, not on the class.
 */
export interface SandboxControl {
  readonly url: string | undefined;
  readonly accountIds: number[];
  createAccount(input?: CreateAccountInput): CreatedAccount;
  credits(accountId: number): CreditStatus;
  setCreditWindow(accountId: number, window: CreditWindowInput): void;
  setTokenTtl(accountId: number, seconds: number): void;
  createInviteCode(accountId: number): string;
  createRefreshToken(accountId: number, deviceName?: string): string;
  createAccessToken(accountId: number, deviceName?: string): string;
  invalidateTokens(accountId?: number, options?: InvalidateTokensInput): number;

  bookings(accountId?: number): SandboxBookingView[];
  addBookings(accountId: number, items: unknown[], options?: AdminBookingOptions): ItemResult[];
  modifyBooking(
    accountId: number,
    bookingId: number,
    changes: Record<string, unknown>,
    options?: AdminBookingOptions,
  ): ItemResult;
  deleteBookings(accountId: number, ids: number[]): ItemResult[];
  calendar(roomId: number, from: string, to: string): CalendarDay[];
  editCalendar(roomId: number, ranges: unknown[]): ItemResult;

  inventoryModel(accountId: number): InventoryModel;
  setInventoryModel(accountId: number, model: InventoryModel): InventoryModel;
  availability(roomId: number, from: string, to: string): NightAvailability[];
  overPublished(roomId: number, from: string, to: string): OverPublishedNight[];
  invariantViolations(): InvariantViolation[];
  resetInvariantViolations(): void;
  lastBookingsReadAt(accountId: number): string | null;

  propertyWebhooks(propertyId: number): PropertyWebhooks | null;
  setPropertyWebhooks(propertyId: number, webhooks: PropertyWebhooksInput | null): PropertyWebhooks | null;
  inventoryWebhook(accountId: number): InventoryWebhook | null;
  setInventoryWebhook(accountId: number, webhook: InventoryWebhookInput | null): InventoryWebhook | null;
  readonly webhookFaults: WebhookFaults;
  setWebhookFaults(faults: WebhookFaultsInput): WebhookFaults;
  clearWebhookFaults(): void;
  webhookDeliveries(): WebhookDelivery[];
  resetWebhookDeliveries(): void;
  readonly pendingWebhooks: number;
  webhooksIdle(): Promise<void>;

  readonly faults: Faults;
  setFaults(faults: FaultsInput): Faults;
  clearFaults(): void;
  readonly costs: CostTable;
  setCosts(costs: CostTable): CostTable;
  readonly requests: readonly RequestLogEntry[];
  /** API requests received and not answered yet. */
  readonly requestsInFlight: number;
  resetRequestLog(): void;
}
