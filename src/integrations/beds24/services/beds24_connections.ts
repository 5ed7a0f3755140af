import type { Db } from '../../../db.ts';
import type { Beds24Client } from '../client/beds24_client.ts';
import type { Beds24ClientFactory } from '../client/beds24_client_factory.ts';
import type { Beds24ConfigRow } from '../beds24_sync_types.ts';

const COLUMNS = [
  'property_id',
  'beds24_property_id',
  'beds24_account_id',
  'refresh_token',
  'sync_enabled',
  'push_sync_enabled',
  'connected_at',
  'last_push_at',
] as const;

export function loadBeds24Config(db: Db, propertyId: string): Promise<Beds24ConfigRow | undefined> {
  return db('beds24_config').where({ property_id: propertyId }).first(COLUMNS);
}

/** Both SQL toggles on and a refresh token stored: the only state in which anything is sent. */
export function isPushEnabled(config: Beds24ConfigRow | undefined): config is Beds24ConfigRow & { refresh_token: string } {
  return config !== undefined && config.sync_enabled && config.push_sync_enabled && config.refresh_token !== null;
}

/** One client per connected property, rebuilt when the property is reconnected to another account. */
export class Beds24Connections {
  private readonly factory: Beds24ClientFactory;
  private readonly clients = new Map<string, { accountId: number | null; client: Beds24Client }>();

  constructor(factory: Beds24ClientFactory) {
    this.factory = factory;
  }

  clientFor(config: Beds24ConfigRow): Beds24Client {
    const cached = this.clients.get(config.property_id);
    if (cached && cached.accountId === config.beds24_account_id) return cached.client;
    const client = this.factory.forProperty(config.property_id, config.beds24_account_id);
    this.clients.set(config.property_id, { accountId: config.beds24_account_id, client });
    return client;
  }

  get gate() {
    return this.factory.gate;
  }
}
