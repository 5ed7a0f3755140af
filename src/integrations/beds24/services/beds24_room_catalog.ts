import type { Clock } from '../../../clock.ts';
import type { Db, Knex } from '../../../db.ts';
import { ValidationError } from '../../../errors.ts';
import type { Logger } from '../../../logger.ts';
import { Beds24Error } from '../client/beds24_errors.ts';
import type { Beds24Property } from '../client/beds24_schemas.ts';
import type { Beds24ConfigRow } from '../beds24_sync_types.ts';
import { loadBeds24Config, type Beds24Connections } from './beds24_connections.ts';

export interface Beds24RoomCatalogDeps {
  db: Knex;
  connections: Beds24Connections;
  clock: Clock;
  logger: Logger;
  /** Beds24 is asked again about a property's rooms at most this often (its credits are the account's). */
  refreshIntervalMs?: number;
}

interface CatalogRow {
  beds24_property_id: number;
  room_ids: string[];
  fetched_at: Date | null;
  asked_at: Date;
}

interface KnownRooms {
  roomIds: number[];
  /** The list is what Beds24 said the last time it was asked (that call did not fail). */
  fetched: boolean;
}

/** Staff wait on this call: one quick try, not the queue's patient retries. */
const ASK = { priority: 'normal', wait: false, retries: 1, timeoutMs: 10_000 } as const;

export function roomIdsOf(property: Beds24Property): number[] {
  return (property.roomTypes ?? []).map((room) => room.id).sort((a, b) => a - b);
}

/**
 * Which Beds24 rooms a connected property has, kept in beds24_room_catalog, so that a mapping to a room the
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
    const config = await loadBeds24Config(db, propertyId);
    if (!config || config.refresh_token === null) return;
    const beds24PropertyId = config.beds24_property_id;
    let known = await this.read(db, propertyId, beds24PropertyId);
    if (known?.roomIds.includes(beds24RoomId)) return;
    known = (await this.claimRefresh(db, propertyId, beds24PropertyId))
      ? await this.refresh(db, config, beds24RoomId)
      : await this.read(db, propertyId, beds24PropertyId);
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
  private async refresh(db: Knex, config: Beds24ConfigRow, beds24RoomId: number): Promise<KnownRooms> {
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
    const now = this.deps.clock.now();
    await db('beds24_room_catalog')
      .insert({
        property_id: propertyId,
        beds24_property_id: beds24PropertyId,
        room_ids: roomIds,
        fetched_at: now,
        asked_at: now,
      })
      .onConflict('property_id')
      .merge();
  }

  private async read(db: Knex, propertyId: string, beds24PropertyId: number): Promise<KnownRooms | undefined> {
    const row: CatalogRow | undefined = await db('beds24_room_catalog')
      .where({ property_id: propertyId, beds24_property_id: beds24PropertyId })
      .first('beds24_property_id', 'room_ids', 'fetched_at', 'asked_at');
    if (!row) return undefined;
    return { roomIds: row.room_ids.map(Number), fetched: row.fetched_at !== null && row.fetched_at >= row.asked_at };
  }

  /** True for the one caller (across processes) that may ask Beds24 now; the others use the stored list. */
  private async claimRefresh(db: Knex, propertyId: string, beds24PropertyId: number): Promise<boolean> {
    const now = this.deps.clock.now();
    const { rows }: { rows: unknown[] } = await db.raw(
      `insert into beds24_room_catalog as c (property_id, beds24_property_id, asked_at) values (?, ?, ?)
       on conflict (property_id) do update
         set asked_at = excluded.asked_at,
             beds24_property_id = excluded.beds24_property_id,
             room_ids = case when c.beds24_property_id = excluded.beds24_property_id then c.room_ids else '{}' end,
             fetched_at = case when c.beds24_property_id = excluded.beds24_property_id then c.fetched_at end
         where c.asked_at <= ? or c.beds24_property_id <> excluded.beds24_property_id
       returning c.property_id`,
      [propertyId, beds24PropertyId, now, new Date(now.getTime() - this.refreshIntervalMs)],
    );
    return rows.length > 0;
  }
}

function describeRooms(roomIds: number[]): string {
  return roomIds.length === 0 ? 'it has no rooms' : `its rooms: ${roomIds.join(', ')}`;
}
