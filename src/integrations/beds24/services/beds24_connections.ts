import type { Beds24Client } from '../client/beds24_client.ts';
import type { Beds24ClientFactory } from '../client/beds24_client_factory.ts';
import type { Beds24Config } from '../store/config_store.ts';

/** One client per connected property, rebuilt when the property is reconnected to another account. */
export class Beds24Connections {
  private readonly factory: Beds24ClientFactory;
  private readonly clients = new Map<string, { accountId: number | null; client: Beds24Client }>();

  constructor({ factory }: { factory: Beds24ClientFactory }) {
    this.factory = factory;
  }

  clientFor(config: Beds24Config): Beds24Client {
    const cached = this.clients.get(config.property_id);
    if (cached && cached.accountId === config.beds24_account_id) return cached.client;
    const client = this.factory.forProperty(config.property_id, config.beds24_account_id);
    this.clients.set(config.property_id, { accountId: config.beds24_account_id, client });
    return client;
  }
}
