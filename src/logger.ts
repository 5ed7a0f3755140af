import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.ts';

export type { Logger };

/** Every place a secret can sit in a log line: HTTP headers, Beds24 auth headers and our own field names. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers.token',
  'req.headers.refreshtoken',
  'req.headers.code',
  'req.headers["x-webhook-token"]',
  'req.query.token',
  'res.headers["set-cookie"]',
  '*.authorization',
  '*.token',
  '*.accessToken',
  '*.access_token',
  '*.refreshToken',
  '*.refresh_token',
  '*.invite_code',
  '*.inviteCode',
  '*.password',
  '*.encryptionKey',
  '*.ENCRYPTION_KEY',
  '*.API_TOKEN',
  '*.ADMIN_TOKEN',
  '*.BEDS24_WEBHOOK_TOKEN',
  '*.webhookToken',
];

/** A request URL as it may be logged: the webhook token Beds24 may send in the query is replaced. */
export function withoutTokenParam(url: string | undefined): string | undefined {
  return url?.replace(/([?&]token=)[^&#]*/gi, '$1[redacted]');
}

export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, destination);
}
