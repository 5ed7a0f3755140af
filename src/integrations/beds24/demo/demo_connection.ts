import type { Knex } from '../../../db.ts';
import type { Logger } from '../../../logger.ts';
import type { Beds24Sync } from '../beds24_sync.ts';
import type { Beds24Sandbox } from '@pms/beds24-sandbox';
import { configuredProperties, unconfiguredProperty } from '../store/config_store.ts';

export interface DemoConnectionDeps {
  db: Knex;
  sandbox: Beds24Sandbox;
  sync: Pick<Beds24Sync, 'connect' | 'configureWebhooks'>;
  logger: Logger;
}

/**
 * Demo mode: the first time, gives the sandbox a Beds24 account with one room type per PMS room type of
 * the demo hotel, maps the rooms to it and connects the property with an invite code, exactly as an
 * operator would through the admin API (which also points the sandbox property's booking webhook at this
 * server, so channel bookings made in the sandbox arrive by webhook). Later starts find the connection and
 * only point the webhook at this start's address.
 */
export async function ensureDemoConnection({ db, sandbox, sync, logger }: DemoConnectionDeps): Promise<void> {
  const property = await unconfiguredProperty(db, 'Demo Hotel');
  if (!property) {
    const demo = (await configuredProperties(db)).find((configured) => configured.name === 'Demo Hotel');
    if (demo) await sync.configureWebhooks(demo.id);
    return;
  }
  const rooms: Array<{ id: string; room_type: string }> = await db('rooms')
    .where({ property_id: property.id })
    .select('id', 'room_type');
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
  // Mapped before connecting, as an operator does: connecting checks every mapped room against Beds24.
  await db.transaction(async (trx) => {
    for (const [index, type] of types.entries()) {
      await trx('rooms')
        .where({ property_id: property.id, room_type: type })
        .update({ beds24_room_id: beds24Property.rooms[index]?.id });
    }
  });
  const inviteCode = sandbox.createInviteCode(account.accountId);
  await sync.connect({ propertyId: property.id, beds24PropertyId: beds24Property.id, inviteCode });
  logger.info(
    { property_id: property.id, beds24_property_id: beds24Property.id },
    'demo hotel connected to the local Beds24 sandbox',
  );
}
