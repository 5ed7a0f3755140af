import type { RequestHandler } from 'express';
import { inTransaction } from '../../../db/transaction.ts';
import type { Knex } from '../../../db.ts';
import { NotFoundError, ValidationError } from '../../../errors.ts';
import { parse } from '../../../http/validate.ts';
import { findProperty } from '../../../pms/properties/properties_repository.ts';
import { encrypt } from '../../../utils/encryption.ts';
import { isPushEnabled, loadConfig, lockConfig, saveConfig, type Beds24Config, type ConfigWrite } from '../store/config_store.ts';
import { resolveAuthFailures } from '../store/failures_store.ts';
import type { Beds24Connector, Connection } from '../services/beds24_connector.ts';
import type { Beds24RoomCatalog } from '../services/room_catalog.ts';
import type { PropertyResync } from '../services/property_resync.ts';
import type { SyncQueue } from '../queue/sync_queue.ts';
import { pendingKinds } from '../store/outbox_store.ts';
import { ConfigBody, PropertyIdParams } from './admin_schemas.ts';

export interface ConfigControllerDeps {
  db: Knex;
  connector: Beds24Connector;
  resync: PropertyResync;
  queue: Pick<SyncQueue, 'send'>;
  rooms: Pick<Beds24RoomCatalog, 'assertMappingsKnown' | 'store'>;
  encryptionKey: string;
}

/** Never the tokens: only whether there is one. */
function present(config: Beds24Config) {
  return {
    property_id: config.property_id,
    beds24_property_id: config.beds24_property_id,
    sync_enabled: config.sync_enabled,
    push_sync_enabled: config.push_sync_enabled,
    connected: config.refresh_token !== null,
  };
}

export function createConfigController(deps: ConfigControllerDeps) {
  const { db, connector, resync, queue, rooms, encryptionKey } = deps;
  const putConfigHandler: RequestHandler = async (req, res) => {
    const input = parse(ConfigBody, req.body);
    if (!(await findProperty(db, input.property_id))) throw ValidationError.field('property_id', 'no property with this id');

    let connection: Connection | undefined;
    // The Beds24 property's rooms, when this request is checked against Beds24 (no call when nothing to check).
    let beds24RoomIds: number[] | undefined;
    if (input.invite_code !== undefined || input.refresh_token !== undefined) {
      connection = await connector.connect(input.property_id, input.beds24_property_id, {
        inviteCode: input.invite_code,
        refreshToken: input.refresh_token,
      });
      beds24RoomIds = connection.beds24RoomIds;
    } else {
      const current = await loadConfig(db, input.property_id);
      // Another Beds24 property for a connected one: its stored token must reach it, as new credentials would.
      if (current?.refresh_token != null && current.beds24_property_id !== input.beds24_property_id) {
        beds24RoomIds = await connector.reachableRooms(current, input.beds24_property_id);
      }
    }

    const { config, resumed } = await inTransaction(db, async (trx) => {
      const before = await lockConfig(trx, input.property_id);
      if (beds24RoomIds !== undefined) {
        await rooms.assertMappingsKnown(trx, input.property_id, input.beds24_property_id, beds24RoomIds);
      }
      const row: ConfigWrite = {
        property_id: input.property_id,
        beds24_property_id: input.beds24_property_id,
        sync_enabled: input.sync_enabled ?? before?.sync_enabled ?? true,
        push_sync_enabled: input.push_sync_enabled ?? before?.push_sync_enabled ?? true,
      };
      if (connection) {
        Object.assign(row, {
          refresh_token: encrypt(connection.refreshToken, encryptionKey),
          access_token: encrypt(connection.accessToken, encryptionKey),
          access_token_expires_at: connection.accessTokenExpiresAt,
          beds24_account_id: connection.beds24AccountId,
          connected_at: new Date(),
        });
      }
      await saveConfig(trx, row);
      if (beds24RoomIds !== undefined) {
        await rooms.store(trx, input.property_id, input.beds24_property_id, beds24RoomIds);
      }
      const after = (await loadConfig(trx, input.property_id)) as Beds24Config;
      const wasPushing = isPushEnabled(before);
      if (connection) await resolveAuthFailures(trx, input.property_id);
      // Connecting (or reconnecting), or switching pushes back on, brings Beds24 up to date: bookings and calendar.
      const resumed = isPushEnabled(after) && (connection !== undefined || !wasPushing);
      if (resumed) await resync.queue(trx, input.property_id);
      return { config: after, resumed };
    });
    // The changes kept while pushes were off (of every kind, past stays' included) go out now too.
    if (resumed) for (const kind of await pendingKinds(db, config.property_id)) await queue.send(db, kind, config.property_id);
    res.json(present(config));
  };

  const getConfigHandler: RequestHandler = async (req, res) => {
    const { property_id } = parse(PropertyIdParams, req.params, 'path');
    const config = await loadConfig(db, property_id);
    if (!config) throw new NotFoundError('Beds24 configuration of property', property_id);
    res.json(present(config));
  };

  return { putConfigHandler, getConfigHandler };
}
