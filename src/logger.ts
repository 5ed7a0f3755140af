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
];

export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, destination);
}
