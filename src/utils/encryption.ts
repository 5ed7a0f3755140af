import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '../errors.ts';

/*
 * AES-256-GCM for secrets at rest (Beds24 refresh and access tokens). Format: "v1:" + base64url of
 * iv (12 bytes) | auth tag (16 bytes) | ciphertext. The tag makes a wrong key or a tampered value fail
 * loudly instead of decrypting to garbage.
 */

export class EncryptionError extends AppError {
  constructor(message: string) {
    super('encryption_failed', 500, message);
  }
}

const VERSION = 'v1:';
let defaultKey: Buffer | undefined;

export function parseKey(hex: string): Buffer {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new EncryptionError('ENCRYPTION_KEY must be 64 hex characters');
  return Buffer.from(hex, 'hex');
}

/** Sets the key that encrypt/decrypt use when none is passed (the server does this once at start). */
export function useEncryptionKey(hex: string): void {
  defaultKey = parseKey(hex);
}

function keyOrDefault(key: string | undefined): Buffer {
  if (key !== undefined) return parseKey(key);
  if (defaultKey === undefined) throw new EncryptionError('no encryption key configured');
  return defaultKey;
}

export function encrypt(plaintext: string, key?: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOrDefault(key), iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return VERSION + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

export function decrypt(ciphertext: string, key?: string): string {
  if (!ciphertext.startsWith(VERSION)) throw new EncryptionError('not an encrypted value');
  const raw = Buffer.from(ciphertext.slice(VERSION.length), 'base64url');
  if (raw.length < 28) throw new EncryptionError('encrypted value is truncated');
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOrDefault(key), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    throw new EncryptionError('cannot decrypt: wrong ENCRYPTION_KEY or tampered value');
  }
}
