import type { Clock } from '../../../clock.ts';
import type { Knex } from '../../../db.ts';
import type { Logger } from '../../../logger.ts';
import { CALL_RETRY_BOUND_MS } from '../queue/job_kinds.ts';
import { Beds24AuthApi, Beds24Client } from './beds24_client.ts';
import { Beds24NotConfiguredError } from './beds24_errors.ts';
import { Beds24Transport, type TokenSource, type TransportDeps } from './beds24_transport.ts';
import { CreditGate } from './credit_gate.ts';
import type { Beds24Priority } from './priority.ts';
import { SyncLog, type CallCounters } from './sync_log.ts';
import { AccessTokenProvider } from './token_provider.ts';

export interface Beds24ClientFactoryDeps {
  db: Knex;
  /** Absent in a process that never calls Beds24: building a client there is a mistake, said as such. */
  baseUrl?: string;
  encryptionKey: string;
  logger: Logger;
  clock: Clock;
  reserves?: Record<Beds24Priority, number>;
  transport?: Pick<TransportDeps, 'timeoutMs' | 'retries' | 'minRetryDelayMs' | 'maxRetryDelayMs'>;
  counters?: CallCounters;
}

/** The credit meter is per Beds24 account (its owner id); before we know it, per PMS property. */
export function accountKeyFor(propertyId: string, beds24AccountId: number | null | undefined): string {
  return beds24AccountId ? `account:${beds24AccountId}` : `property:${propertyId}`;
}

/** Builds clients that share one credit gate and one sync log per process. */
export class Beds24ClientFactory {
  readonly gate: CreditGate;
  readonly syncLog: SyncLog;
  private readonly deps: Beds24ClientFactoryDeps;

  constructor(deps: Beds24ClientFactoryDeps) {
    this.deps = deps;
    this.gate = new CreditGate({ db: deps.db, clock: deps.clock, logger: deps.logger, reserves: deps.reserves });
    this.syncLog = new SyncLog({ db: deps.db, logger: deps.logger, counters: deps.counters });
  }

  authApi(accountKey: string, propertyId?: string): Beds24AuthApi {
    return new Beds24AuthApi({ transport: this.transport(accountKey, propertyId) });
  }

  forProperty(propertyId: string, beds24AccountId: number | null | undefined): Beds24Client {
    const accountKey = accountKeyFor(propertyId, beds24AccountId);
    const auth = this.authApi(accountKey, propertyId);
    const tokens = new AccessTokenProvider({
      db: this.deps.db,
      propertyId,
      encryptionKey: this.deps.encryptionKey,
      clock: this.deps.clock,
      mint: (refreshToken) => auth.token(refreshToken),
    });
    return new Beds24Client({ transport: this.transport(accountKey, propertyId, tokens) });
  }

  /** A client on a token that is not stored yet (while connecting): no refresh, no database token cache. */
  forTokenOnce(propertyId: string, beds24AccountId: number | null, accessToken: string): Beds24Client {
    const fixed = {
      get: async () => accessToken,
      refreshAfterRejection: async () => ({ token: accessToken, minted: true }),
    };
    const transport = this.transport(accountKeyFor(propertyId, beds24AccountId), propertyId, fixed);
    return new Beds24Client({ transport });
  }

  private transport(accountKey: string, propertyId: string | undefined, tokens?: TokenSource): Beds24Transport {
    const { baseUrl } = this.deps;
    if (baseUrl === undefined) throw new Beds24NotConfiguredError();
    return new Beds24Transport({
      ...this.deps.transport,
      baseUrl,
      accountKey,
      propertyId,
      tokens,
      gate: this.gate,
      syncLog: this.syncLog,
      logger: this.deps.logger,
      clock: this.deps.clock,
      retryBoundMs: CALL_RETRY_BOUND_MS,
    });
  }
}
