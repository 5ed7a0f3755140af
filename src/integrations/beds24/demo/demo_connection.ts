import type { Knex } from '../../../db.ts';
import type { Logger } from '../../../logger.ts';
import { encrypt } from '../../../utils/encryption.ts';
import type { PropertyResync } from '../services/property_resync.ts';
import type { Beds24Sandbox } from '../sandbox/index.ts';
import type { Beds24Connector } from '../services/beds24_connector.ts';
import { saveConfig, unconfiguredProperty } from '../store/config_store.ts';

export interface DemoConnectionDeps {
  db: Knex;
  sandbox: Beds24Sandbox;
  connector: Beds24Connector;
  resync: PropertyResync;
  encryptionKey: string;
  logger: Logger;
}

/**
 * Demo mode: the first time, gives the sandbox a Beds24 account with one room type per PMS room type of
 * the demo hotel, maps the rooms to it and connects the property with an invite code, exactly as an
 * operator would through the admin API. Later starts find the connection and do nothing.
 */
export async function ensureDemoConnection({ db, sandbox, connector, resync, encryptionKey, logger }: DemoConnectionDeps): Promise<void> {
  const property = await unconfiguredProperty(db, 'Demo Hotel');
  if (!property) return;
  const rooms: Array<{ id: string; room_type: string }> = await db('rooms').where({ property_id: property.id }).select('id', 'room_type');
  const types = [...new Set(rooms.map((room) => room.room_type))];
  const account = sandbox.createAccount({
    properties: [
      {
        name: property.name,
        timezone: property.timezone,
        currency: property.currency,
        rooms: types.map((type) => ({ name: type, qty: rooms.filter((room) => room.room_type === type).length })),
      },
    ],
  });
  const beds24Property = account.properties[0];
  if (!beds24Property) return;
  const connection = await connector.connect(property.id, beds24Property.id, { inviteCode: sandbox.createInviteCode(account.accountId) });
  await db.transaction(async (trx) => {
    for (const [index, type] of types.entries()) {
      await trx('rooms').where({ property_id: property.id, room_type: type }).update({ beds24_room_id: beds24Property.rooms[index]?.id });
    }
    await saveConfig(trx, {
      property_id: property.id,
      beds24_property_id: beds24Property.id,
      beds24_account_id: connection.beds24AccountId,
      refresh_token: encrypt(connection.refreshToken, encryptionKey),
      access_token: encrypt(connection.accessToken, encryptionKey),
      access_token_expires_at: connection.accessTokenExpiresAt,
      connected_at: new Date(),
    });
    await resync.queue(trx, property.id);
  });
  logger.info({ property_id: property.id, beds24_property_id: beds24Property.id }, 'demo hotel connected to the local Beds24 sandbox');
}
