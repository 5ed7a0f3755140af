export { Beds24Sandbox, createBeds24Sandbox } from './sandbox_server.ts';
export type * from './sandbox_control.ts';
export type {
  CreateAccountInput,
  CreatedAccount,
  CreditWindowInput,
  CostTable,
  Faults,
  FaultsInput,
  InvalidateTokensInput,
  SandboxLogger,
  SandboxOptions,
  WebhookFaults,
  WebhookFaultsInput,
} from './sandbox_options.ts';
export { DEFAULT_COSTS } from './sandbox_options.ts';
export type { RequestLogEntry } from './request_log.ts';
export type { CalendarDay } from './calendar_store.ts';
export type { ItemIssue, ItemResult, UnsuccessfulApiResponse } from './api_answers.ts';
export type { CreditMeter } from './credit_window.ts';
export { CALENDAR_HORIZON_DAYS } from './calendar_store.ts';
export { SandboxError, SandboxInputError, SandboxNotFoundError, SandboxStateFileError } from './sandbox_errors.ts';
export {
  INVENTORY_MODELS,
  type InventoryModel,
  type InventoryWebhook,
  type PropertyWebhooks,
  type WebhookVersion,
} from './sandbox_model.ts';
export type { NightAvailability } from './inventory_model.ts';
export type { InvariantViolation, NightBooking, OverPublishedNight } from './invariant_recorder.ts';
export type { DeliveryOutcome, WebhookDelivery } from './webhook_sender.ts';
export { PERSONAL_FIELDS } from './booking_store.ts';
