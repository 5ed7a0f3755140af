import { describe, expect, it } from 'vitest';
import { decrypt, encrypt, useEncryptionKey } from '../../src/utils/encryption.ts';

const KEY = '0f'.repeat(32);
const OTHER = 'f0'.repeat(32);

describe('encryption', () => {
  it('round-trips and never repeats a ciphertext', () => {
    const a = encrypt('refresh-token-123', KEY);
    const b = encrypt('refresh-token-123', KEY);
    expect(a).not.toBe(b);
    expect(a).not.toContain('refresh-token-123');
    expect(decrypt(a, KEY)).toBe('refresh-token-123');
  });

  it.each([
    ['a wrong key', (c: string) => decrypt(c, OTHER)],
    ['a flipped byte', (c: string) => decrypt(c.slice(0, -2) + (c.at(-2) === 'A' ? 'B' : 'A') + c.slice(-1), KEY)],
    ['a truncated value', (c: string) => decrypt(c.slice(0, 10), KEY)],
    ['a plain value', () => decrypt('plain-token', KEY)],
  ])('refuses %s with a typed error', (_name, attempt) => {
    const ciphertext = encrypt('secret', KEY);
    expect(() => attempt(ciphertext)).toThrow(expect.objectContaining({ code: 'encryption_failed' }));
  });

  it('uses the configured key when none is passed, as in the Phase 2 usage', () => {
    useEncryptionKey(KEY);
    expect(decrypt(encrypt('x'))).toBe('x');
    expect(decrypt(encrypt('y'), KEY)).toBe('y');
  });

  it('rejects a malformed key', () => {
    expect(() => encrypt('x', 'abc')).toThrow(/64 hex/);
  });
});
