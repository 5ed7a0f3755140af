import { describe, expect, it } from 'vitest';
import { loadEnv } from '../../src/config.ts';

describe('loadEnv', () => {
  it('applies the contract defaults to an empty environment', () => {
    expect(loadEnv({})).toEqual({
      NODE_ENV: 'development',
      PORT: 3000,
      SYNC_HORIZON_DAYS: 365,
      BEDS24_PULL_INTERVAL_SECONDS: 300,
      SYNC_WORKERS: 8,
      LOG_LEVEL: 'info',
      DATA_DIR: '.data',
    });
  });

  it('treats blank values as unset', () => {
    expect(loadEnv({ PORT: '', DATABASE_URL: '  ' }).PORT).toBe(3000);
  });

  it('parses valid values', () => {
    const env = loadEnv({
      DATABASE_URL: 'postgres://u:p@db:5432/pms',
      PORT: '8080',
      SYNC_HORIZON_DAYS: '720',
      BEDS24_API_URL: 'https://api.beds24.com/v2',
      ENCRYPTION_KEY: 'a'.repeat(64),
      LOG_LEVEL: 'debug',
      BEDS24_WEBHOOK_TOKEN: 'abcdefghijklmnop',
      BEDS24_PULL_INTERVAL_SECONDS: '5',
      PUBLIC_URL: 'https://pms.example.com',
    });
    expect(env).toMatchObject({
      PORT: 8080,
      SYNC_HORIZON_DAYS: 720,
      LOG_LEVEL: 'debug',
      BEDS24_API_URL: 'https://api.beds24.com/v2',
    });
    expect(env).toMatchObject({
      BEDS24_WEBHOOK_TOKEN: 'abcdefghijklmnop',
      BEDS24_PULL_INTERVAL_SECONDS: 5,
      PUBLIC_URL: 'https://pms.example.com',
    });
  });

  it.each([
    [{ PORT: 'abc' }, /^Invalid environment variable PORT: .*\(got "abc"\)$/],
    [{ PORT: '70000' }, /PORT/],
    [{ SYNC_HORIZON_DAYS: '0' }, /SYNC_HORIZON_DAYS/],
    [{ SYNC_HORIZON_DAYS: '721' }, /SYNC_HORIZON_DAYS/],
    [{ SYNC_HORIZON_DAYS: '30.5' }, /SYNC_HORIZON_DAYS/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL/],
    [{ BEDS24_API_URL: 'not a url' }, /BEDS24_API_URL/],
    [{ ENCRYPTION_KEY: 'short' }, /ENCRYPTION_KEY: must be 64 hex/],
    [{ NODE_ENV: 'staging' }, /NODE_ENV/],
    [{ BEDS24_WEBHOOK_TOKEN: 'fifteen-chars-x' }, /BEDS24_WEBHOOK_TOKEN: must be at least 16 characters/],
    [{ BEDS24_WEBHOOK_TOKEN: 'has a space in the token' }, /BEDS24_WEBHOOK_TOKEN: must be printable ASCII/],
    [{ BEDS24_PULL_INTERVAL_SECONDS: '4' }, /BEDS24_PULL_INTERVAL_SECONDS/],
    [{ BEDS24_PULL_INTERVAL_SECONDS: '3601' }, /BEDS24_PULL_INTERVAL_SECONDS/],
    [{ PUBLIC_URL: 'ftp://pms.example.com' }, /PUBLIC_URL/],
    [{ SYNC_WORKERS: '0' }, /SYNC_WORKERS/],
    [{ SYNC_WORKERS: '2.5' }, /SYNC_WORKERS/],
  ])('rejects %j with one line naming the variable', (env, message) => {
    expect(() => loadEnv(env)).toThrow(message);
    try {
      loadEnv(env);
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
      expect((error as { code: string }).code).toBe('config_invalid');
    }
  });

  it('never echoes a secret value in the message', () => {
    expect(() => loadEnv({ ENCRYPTION_KEY: 'secret-value' })).toThrow(/^(?!.*secret-value)/);
    expect(() => loadEnv({ API_TOKEN: 'has space' })).toThrow(/^(?!.*has space)/);
  });

  it('requires the production variables with NODE_ENV=production', () => {
    expect(() => loadEnv({ NODE_ENV: 'production' })).toThrow(
      'Missing environment variable DATABASE_URL, API_TOKEN, ADMIN_TOKEN, ENCRYPTION_KEY, BEDS24_API_URL, ' +
        'BEDS24_WEBHOOK_TOKEN: required when NODE_ENV=production',
    );
    const full = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://db/pms',
      API_TOKEN: 'a',
      ADMIN_TOKEN: 'b',
      ENCRYPTION_KEY: 'f'.repeat(64),
      BEDS24_API_URL: 'https://api.beds24.com/v2',
      BEDS24_WEBHOOK_TOKEN: 'w'.repeat(16),
    };
    expect(loadEnv(full).NODE_ENV).toBe('production');
    expect(() => loadEnv({ ...full, BEDS24_WEBHOOK_TOKEN: undefined })).toThrow(/BEDS24_WEBHOOK_TOKEN/);
    expect(() => loadEnv({ ...full, ADMIN_TOKEN: undefined })).toThrow(/ADMIN_TOKEN/);
  });
});
