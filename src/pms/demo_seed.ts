import type { Knex } from '../db.ts';
import type { Logger } from '../logger.ts';

/** A demo hotel for a fresh development database, so `npm start` shows something to click through. */
export async function seedDemoData(db: Knex, logger: Logger): Promise<void> {
  await db.transaction(async (trx) => {
    const existing = await trx('properties').first('id');
    if (existing) return;
    const [property] = await trx('properties')
      .insert({ name: 'Demo Hotel', timezone: 'Europe/Berlin', currency: 'EUR' })
      .returning('id');
    const propertyId = (property as { id: string }).id;
    await trx('rooms').insert([
      {
        property_id: propertyId,
        number: '101',
        name: 'Double 101',
        room_type: 'double',
        base_price: 120,
        max_occupancy: 2,
      },
      {
        property_id: propertyId,
        number: '102',
        name: 'Double 102',
        room_type: 'double',
        base_price: 120,
        max_occupancy: 2,
      },
      {
        property_id: propertyId,
        number: '201',
        name: 'Family 201',
        room_type: 'family',
        base_price: 180,
        max_occupancy: 4,
      },
      {
        property_id: propertyId,
        number: '301',
        name: 'Suite 301',
        room_type: 'suite',
        base_price: 260,
        max_occupancy: 3,
      },
    ]);
    logger.info({ property_id: propertyId }, 'seeded a demo property with 4 rooms');
  });
}
