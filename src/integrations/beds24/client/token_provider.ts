import type { Clock } from '../../../clock.ts';
import type { Knex } from '../../../db.ts';
import { decrypt, encrypt } from '../../../utils/encryption.ts';
import { lockTokens, saveAccessToken } from '../store/config_store.ts';
import { Beds24AuthError } from './beds24_errors.ts';
import type { TokenAnswer } from './beds24_schemas.ts';

export interface TokenProviderDeps {
  db: Knex;
  propertyId: string;
  encryptionKey: string;
  clock: Clock;
  /** Exchanges the refresh token for an access token (`GET /authentication/token`, which costs credits). */
  mint: (refreshToken: string) => Promise<TokenAnswer>;
  /** Refresh this long before the token expires. */
  marginSeconds?: number;
}

const DEFAULT_TTL_SECONDS = 86_400;

/**
 * The access token of one connected property, cached in memory and, encrypted, in its config row so every
 * process shares it. A refresh happens once: in-process callers share one promise, and across processes
 * the config row lock makes the others wait and then read the token the first one stored.
 */
export class AccessTokenProvider {
  private readonly deps: TokenProviderDeps;
  private readonly marginMs: number;
  private cached: { token: string; expiresAt: number } | undefined;
  private inflight: Promise<{ token: string; minted: boolean }> | undefined;

  constructor(deps: TokenProviderDeps) {
    this.deps = deps;
    this.marginMs = (deps.marginSeconds ?? 300) * 1000;
  }

  /**
   * After a 401: the stored token when it is another one than the rejected (someone refreshed already),
   * else a freshly minted one. `minted` tells the caller whether a second 401 can still be worth a refresh.
   */
  async refreshAfterRejection(rejected: string): Promise<{ token: string; minted: boolean }> {
    if (this.cached?.token === rejected) this.cached = undefined;
    return this.singleFlight(rejected);
  }

  async get(): Promise<string> {
    const now = this.deps.clock.now().getTime();
    if (this.cached && this.cached.expiresAt - this.marginMs > now) return this.cached.token;
    return (await this.singleFlight(undefined)).token;
  }

  private singleFlight(rejected: string | undefined): Promise<{ token: string; minted: boolean }> {
    this.inflight ??= this.loadOrMint(rejected).finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private loadOrMint(rejected: string | undefined): Promise<{ token: string; minted: boolean }> {
    const { db, propertyId, encryptionKey, clock, mint } = this.deps;
    return db.transaction(async (trx) => {
      const row = await lockTokens(trx, propertyId);
      if (!row?.refresh_token) throw new Beds24AuthError('property is not connected to Beds24 (no refresh token)');
      const now = clock.now().getTime();
      if (
        row.access_token &&
        row.access_token_expires_at &&
        row.access_token_expires_at.getTime() - this.marginMs > now
      ) {
        const stored = decrypt(row.access_token, encryptionKey);
        if (stored !== rejected) {
          this.cached = { token: stored, expiresAt: row.access_token_expires_at.getTime() };
          return { token: stored, minted: false };
        }
      }
      const answer = await mint(decrypt(row.refresh_token, encryptionKey));
      const expiresAt = now + (answer.expiresIn ?? DEFAULT_TTL_SECONDS) * 1000;
      await saveAccessToken(trx, propertyId, encrypt(answer.token, encryptionKey), new Date(expiresAt));
      this.cached = { token: answer.token, expiresAt };
      return { token: answer.token, minted: true };
    });
  }
}
