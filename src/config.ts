import { z } from 'zod';
import { ConfigError } from './errors.ts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const hexKey = z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (a 32-byte key)');
const token = z.string().min(1).regex(/^\S+$/, 'must not contain whitespace');
// Sent by Beds24 as a header value (and accepted in the query): printable ASCII, long enough not to be guessed.
const webhookToken = z
  .string()
  .min(16, 'must be at least 16 characters')
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

export const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// connection string')
    .optional(),
  PORT: z.coerce.number().int('must be an integer').min(0).max(65535).default(3000),
  API_TOKEN: token.optional(),
  ADMIN_TOKEN: token.optional(),
  ENCRYPTION_KEY: hexKey.optional(),
  BEDS24_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  SYNC_HORIZON_DAYS: z.coerce.number().int('must be an integer').min(1).max(720).default(365),
  BEDS24_WEBHOOK_TOKEN: webhookToken.optional(),
  BEDS24_PULL_INTERVAL_SECONDS: z.coerce.number().int('must be an integer').min(5).max(3600).default(300),
  SYNC_WORKERS: z.coerce.number().int('must be an integer').min(1).max(64).default(8),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  DATA_DIR: z.string().min(1).default('.data'),
});

export type Env = z.infer<typeof EnvSchema>;
export type LogLevel = Env['LOG_LEVEL'];

const REQUIRED_IN_PRODUCTION = [
  'DATABASE_URL',
  'API_TOKEN',
  'ADMIN_TOKEN',
  'ENCRYPTION_KEY',
  'BEDS24_API_URL',
  'BEDS24_WEBHOOK_TOKEN',
] as const;

/**
 * Parses the process environment. Empty strings count as unset, so a blank line in `.env` means "use the default".
 * Throws a ConfigError whose message is one line naming the first bad variable.
 */
export function loadEnv(source: NodeJS.ProcessEnv): Env {
  const cleaned: Record<string, string> = {};
  for (const key of Object.keys(EnvSchema.shape)) {
    const value = source[key];
    if (value !== undefined && value.trim() !== '') cleaned[key] = value.trim();
  }
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    const shown = name in cleaned && !isSecret(name) ? ` (got "${cleaned[name]}")` : '';
    throw new ConfigError(`Invalid environment variable ${name}: ${issue?.message ?? 'invalid'}${shown}`);
  }
  const env = parsed.data;
  if (env.NODE_ENV === 'production') {
    const missing = REQUIRED_IN_PRODUCTION.filter((key) => env[key] === undefined);
    if (missing.length > 0) {
      throw new ConfigError(`Missing environment variable ${missing.join(', ')}: required when NODE_ENV=production`);
    }
  }
  return env;
}

function isSecret(name: string): boolean {
  return name.endsWith('_TOKEN') || name === 'ENCRYPTION_KEY' || name === 'DATABASE_URL';
}
