export { Beds24AuthApi, Beds24Client, type ItemResult } from './beds24_client.ts';
export { Beds24ClientFactory, accountKeyFor } from './beds24_client_factory.ts';
export * from './beds24_errors.ts';
export type * from './beds24_schemas.ts';
export { CreditGate, type MeterState } from './credit_gate.ts';
export { PRIORITIES, type Beds24Priority } from './priority.ts';
