import type { Clock } from '../../../clock.ts';
import type { Db, Knex } from '../../../db.ts';
import { ValidationError } from '../../../errors.ts';
import type { Logger } from '../../../logger.ts';
import { Beds24Error } from '../client/beds24_errors.ts';
import type { Beds24Property } from '../client/beds24_schemas.ts';
import { loadConfig, type Beds24Config } from '../store/config_store.ts';
import { claimCatalogRefresh, readCatalog, storeCatalog, type CatalogEntry } from '../store/room_catalog_store.ts';
import type { Beds24Connections } from './beds24_connections.ts';

export interface Beds24RoomCatalogDeps {
  db: Knex;
  connections: Beds24Connections;
  clock: Clock;
  logger: Logger;
  /** Beds24 is asked again about a property's rooms at most this often (its credits are the account's). */
  refreshIntervalMs?: number;
}

/** Staff wait on this call: one quick try, not the queue's patient retries. */
const ASK = { priority: 'normal', wait: false, retries: 1, timeoutMs: 10_000 } as const;

export function roomIdsOf(property: Beds24Property): number[] {
  return (property.roomTypes ?? []).map((room) => room.id).sort((a, b) => a - b);
}

/**
 * Which Beds24 rooms a connected property has, kept in the room catalog, so that a mapping to a room the
 * account does not have is refused up front instead of closing the real room and failing every push.
 */
export class Beds24RoomCatalog {
  private readonly deps: Beds24RoomCatalogDeps;
  private readonly refreshIntervalMs: number;

  constructor(deps: Beds24RoomCatalogDeps) {
    this.deps = deps;
    this.refreshIntervalMs = deps.refreshIntervalMs ?? 60_000;
  }

  /**
   * Refuses (400 `beds24_room_id`) a Beds24 room that the property's connected Beds24 property does not have.
   * A property that is not connected cannot be asked: its mappings are checked when it connects. An id
   * missing from the stored list makes one call to Beds24 (at most once a minute per property); when Beds24
   * cannot answer, an id it listed before is accepted and any other is refused, saying so. Run it outside
   * any transaction: the call to Beds24 must not hold row locks while it waits.
   */
  async assertMappable(db: Knex, propertyId: string, beds24RoomId: number): Promise<void> {
    const config = await loadConfig(db, propertyId);
    if (!config || config.refresh_token === null) return;
    const beds24PropertyId = config.beds24_property_id;
    let known = await readCatalog(db, propertyId, beds24PropertyId);
    if (known?.roomIds.includes(beds24RoomId)) return;
    const now = this.deps.clock.now();
    const askedBefore = new Date(now.getTime() - this.refreshIntervalMs);
    known = (await claimCatalogRefresh(db, propertyId, beds24PropertyId, now, askedBefore))
      ? await this.refresh(db, config, beds24RoomId)
      : await readCatalog(db, propertyId, beds24PropertyId);
    if (known?.roomIds.includes(beds24RoomId)) return;
    if (!known?.fetched) {
      throw ValidationError.field(
        'beds24_room_id',
        `Beds24 could not be asked whether property ${beds24PropertyId} has room ${beds24RoomId} ` +
          '(it did not answer the last time, less than a minute ago); try again in a minute',
      );
    }
    const message = `Beds24 property ${beds24PropertyId} has no room ${beds24RoomId} (${describeRooms(known.roomIds)})`;
    throw ValidationError.field('beds24_room_id', message);
  }

  /** Asks Beds24 for the property's rooms and keeps them; a failure is the staff's answer (400), saying so. */
  private async refresh(db: Knex, config: Beds24Config, beds24RoomId: number): Promise<CatalogEntry> {
    const beds24PropertyId = config.beds24_property_id;
    let property: Beds24Property | undefined;
    try {
      const answer = await this.deps.connections.clientFor(config).getProperties([beds24PropertyId], ASK);
      property = answer.find((p) => p.id === beds24PropertyId);
    } catch (error) {
      if (!(error instanceof Beds24Error)) throw error;
      const context = { err: error, property_id: config.property_id };
      this.deps.logger.warn(context, 'could not read the Beds24 rooms to check a mapping');
      throw ValidationError.field(
        'beds24_room_id',
        `Beds24 could not be asked whether property ${beds24PropertyId} has room ${beds24RoomId} (${error.message}); ` +
          'try again later',
      );
    }
    if (!property) {
      const message = `Beds24 property ${beds24PropertyId} is not reachable with the stored credentials`;
      throw ValidationError.field('beds24_room_id', message);
    }
    const roomIds = roomIdsOf(property);
    await this.store(db, config.property_id, beds24PropertyId, roomIds);
    return { roomIds, fetched: true };
  }

  /**
   * Connecting: every room of the PMS property must be mapped to a room that the Beds24 property has
   * (rooms mapped while it was not connected could not be checked before). Inside the connect transaction.
   */
  async assertMappingsKnown(db: Db, propertyId: string, beds24PropertyId: number, roomIds: number[]): Promise<void> {
    const wrong: Array<{ number: string; beds24_room_id: number }> = await db('rooms')
      .where({ property_id: propertyId })
      .whereNotNull('beds24_room_id')
      .whereNotIn('beds24_room_id', roomIds)
      .orderBy('number')
      .select('number', 'beds24_room_id');
    if (wrong.length === 0) return;
    const rooms = wrong.map((room) => `${room.number} (${room.beds24_room_id})`).join(', ');
    throw ValidationError.field(
      'beds24_room_id',
      `Beds24 property ${beds24PropertyId} has no room for PMS room(s) ${rooms} (${describeRooms(roomIds)}); ` +
        'unmap them (beds24_room_id: null), connect, then map them to its rooms',
    );
  }

  /** Records the room list Beds24 just gave (connecting reads it anyway). */
  async store(db: Db, propertyId: string, beds24PropertyId: number, roomIds: number[]): Promise<void> {
    await storeCatalog(db, propertyId, beds24PropertyId, roomIds, this.deps.clock.now());
  }
}

function describeRooms(roomIds: number[]): string {
  return roomIds.length === 0 ? 'it has no rooms' : `its rooms: ${roomIds.join(', ')}`;
}
