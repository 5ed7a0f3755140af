import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Env } from './config.ts';

export interface Secrets {
  apiToken: string;
  adminToken: string;
  encryptionKey: string;
  /** What Beds24 must send with each webhook (header X-Webhook-Token or query `token`). */
  webhookToken: string;
  /** Names of the variables that were generated here rather than given: printed at start. */
  generated: Array<'API_TOKEN' | 'ADMIN_TOKEN' | 'ENCRYPTION_KEY' | 'BEDS24_WEBHOOK_TOKEN'>;
}

const StoredSecrets = z
  .object({
    API_TOKEN: z.string(),
    ADMIN_TOKEN: z.string(),
    ENCRYPTION_KEY: z.string(),
    BEDS24_WEBHOOK_TOKEN: z.string(),
  })
  .partial();

/**
 * Outside production, missing secrets are generated once into DATA_DIR/dev-secrets.json (mode 0600) and
 * reused on later starts: tokens stay stable across restarts and encrypted Beds24 tokens stay readable.
 */
export async function resolveSecrets(env: Env): Promise<Secrets> {
  const file = join(env.DATA_DIR, 'dev-secrets.json');
  const stored = existsSync(file) ? StoredSecrets.parse(JSON.parse(await readFile(file, 'utf8'))) : {};
  const generated: Secrets['generated'] = [];
  const pick = (name: Secrets['generated'][number], given: string | undefined, make: () => string): string => {
    if (given !== undefined) return given;
    generated.push(name);
    stored[name] ??= make();
    return stored[name];
  };
  const secrets: Secrets = {
    apiToken: pick('API_TOKEN', env.API_TOKEN, () => randomBytes(24).toString('base64url')),
    adminToken: pick('ADMIN_TOKEN', env.ADMIN_TOKEN, () => randomBytes(24).toString('base64url')),
    encryptionKey: pick('ENCRYPTION_KEY', env.ENCRYPTION_KEY, () => randomBytes(32).toString('hex')),
    webhookToken: pick('BEDS24_WEBHOOK_TOKEN', env.BEDS24_WEBHOOK_TOKEN, () => randomBytes(24).toString('base64url')),
    generated,
  };
  if (generated.length > 0) {
    await mkdir(env.DATA_DIR, { recursive: true });
    await writeFile(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  }
  return secrets;
}
