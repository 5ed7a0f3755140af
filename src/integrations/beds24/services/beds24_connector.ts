import type { Clock } from '../../../clock.ts';
import { ValidationError } from '../../../errors.ts';
import { Beds24AuthError, Beds24ValidationError } from '../client/beds24_errors.ts';
import type { Beds24ClientFactory } from '../client/beds24_client_factory.ts';
import { accountKeyFor } from '../client/beds24_client_factory.ts';
import type { Beds24Property } from '../client/beds24_schemas.ts';
import type { Beds24Config } from '../store/config_store.ts';
import { roomIdsOf } from './room_catalog.ts';

export interface Credentials {
  inviteCode?: string;
  refreshToken?: string;
}

export interface Connection {
  refreshToken: string;
  accessToken: string;
  accessTokenExpiresAt: Date;
  beds24AccountId: number | null;
  /** The Beds24 property's room ids (its room types), read while checking that the token reaches it. */
  beds24RoomIds: number[];
}

/**
 * Turns what an operator pastes (an invite code, or a refresh token made elsewhere) into a working
 * connection: tokens, the Beds24 account they belong to, and proof that they reach the Beds24 property.
 */
export class Beds24Connector {
  private readonly factory: Beds24ClientFactory;
  private readonly clock: Clock;
  /** Invite codes are single use: one already exchanged here is connected with the refresh token it gave. */
  private readonly spentInvites = new Map<string, string>();

  constructor({ factory, clock }: { factory: Beds24ClientFactory; clock: Clock }) {
    this.factory = factory;
    this.clock = clock;
  }

  /**
   * The Beds24 property of an account that has exactly one (what a small hotel has). Spends the invite
   * code, so it returns a refresh token to connect with instead of the code.
   */
  async onlyProperty(propertyId: string, inviteCode: string): Promise<number> {
    const auth = this.factory.authApi(accountKeyFor(propertyId, null), propertyId);
    const answer = await auth.setup(inviteCode);
    const properties = await this.factory
      .forTokenOnce(propertyId, null, answer.token)
      .getProperties([], { priority: 'critical' });
    this.spentInvites.set(inviteCode, answer.refreshToken);
    if (properties.length !== 1) {
      throw ValidationError.field(
        'beds24_property_id',
        `the account has ${properties.length} properties (${properties.map((p) => p.id).join(', ')}): name one`,
      );
    }
    return (properties[0] as { id: number }).id;
  }

  async connect(propertyId: string, beds24PropertyId: number, credentials: Credentials): Promise<Connection> {
    const auth = this.factory.authApi(accountKeyFor(propertyId, null), propertyId);
    const spent = credentials.inviteCode !== undefined ? this.spentInvites.get(credentials.inviteCode) : undefined;
    if (spent !== undefined) credentials = { refreshToken: spent };
    const field = credentials.inviteCode !== undefined ? 'invite_code' : 'refresh_token';
    try {
      let refreshToken: string;
      let minted: { token: string; expiresIn?: number };
      if (credentials.inviteCode !== undefined) {
        const answer = await auth.setup(credentials.inviteCode);
        // Spent now, even if a check below refuses the request: sending it again after a fix must still work.
        this.spentInvites.set(credentials.inviteCode, answer.refreshToken);
        refreshToken = answer.refreshToken;
        minted = answer;
      } else {
        refreshToken = credentials.refreshToken as string;
        minted = await auth.token(refreshToken);
      }
      const details = await auth.details(minted.token);
      const accountId = details.token?.ownerId ?? null;
      const properties = await this.factory
        .forTokenOnce(propertyId, accountId, minted.token)
        .getProperties([beds24PropertyId], { priority: 'critical' });
      const property = properties.find((p) => p.id === beds24PropertyId);
      if (!property) {
        throw ValidationError.field(
          'beds24_property_id',
          `Beds24 property ${beds24PropertyId} is not reachable with these credentials`,
        );
      }
      return {
        refreshToken,
        accessToken: minted.token,
        accessTokenExpiresAt: new Date(this.clock.now().getTime() + (minted.expiresIn ?? 86_400) * 1000),
        beds24AccountId: accountId,
        beds24RoomIds: roomIdsOf(property),
      };
    } catch (error) {
      if (error instanceof Beds24AuthError || error instanceof Beds24ValidationError) {
        throw ValidationError.field(field, `Beds24 refused it: ${error.message}`);
      }
      throw error;
    }
  }

  /**
   * A connected property named with another Beds24 property and no new credentials: the stored token must
   * reach that property, exactly as new credentials would have to. Answers its room ids.
   */
  async reachableRooms(config: Beds24Config, beds24PropertyId: number): Promise<number[]> {
    const client = this.factory.forProperty(config.property_id, config.beds24_account_id);
    let properties: Beds24Property[];
    try {
      properties = await client.getProperties([beds24PropertyId], { priority: 'critical', wait: false });
    } catch (error) {
      if (error instanceof Beds24AuthError || error instanceof Beds24ValidationError) {
        const message = `Beds24 refused the stored credentials for it: ${error.message}`;
        throw ValidationError.field('beds24_property_id', message);
      }
      throw error;
    }
    const property = properties.find((p) => p.id === beds24PropertyId);
    if (!property) {
      const message = `Beds24 property ${beds24PropertyId} is not reachable with the stored credentials`;
      throw ValidationError.field('beds24_property_id', message);
    }
    return roomIdsOf(property);
  }
}
