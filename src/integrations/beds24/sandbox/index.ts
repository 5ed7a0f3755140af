export { Beds24Sandbox, createBeds24Sandbox, type CreditStatus, type SandboxBookingView } from './sandbox_server.ts';
export type { CreateAccountInput, CreatedAccount, CreditWindowInput, CostTable, Faults, FaultsInput, InvalidateTokensInput, SandboxOptions } from './sandbox_options.ts';
export { DEFAULT_COSTS } from './sandbox_options.ts';
export type { RequestLogEntry } from './request_log.ts';
export type { CalendarDay } from './calendar_store.ts';
export type { ItemIssue, ItemResult, UnsuccessfulApiResponse } from './api_answers.ts';
export type { CreditMeter } from './credit_window.ts';
export { CALENDAR_HORIZON_DAYS } from './calendar_store.ts';
export { SandboxError, SandboxInputError, SandboxNotFoundError, SandboxStateFileError } from './sandbox_errors.ts';
