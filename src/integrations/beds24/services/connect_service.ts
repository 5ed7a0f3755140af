import type { Clock } from '../../../clock.ts';
import { inTransaction } from '../../../db/transaction.ts';
import type { Knex } from '../../../db.ts';
import { ValidationError } from '../../../errors.ts';
import { findProperty } from '../../../pms/properties/properties_repository.ts';
import { encrypt } from '../../../utils/encryption.ts';
import type { SyncQueue } from '../queue/sync_queue.ts';
import {
  isPullEnabled,
  isPushEnabled,
  loadConfig,
  lockConfig,
  saveConfig,
  type Beds24Config,
  type ConfigWrite,
} from '../store/config_store.ts';
import { resolveAuthFailures } from '../store/failures_store.ts';
import { pendingKinds } from '../store/outbox_store.ts';
import type { Beds24Connector, Connection } from './beds24_connector.ts';
import type { CalendarTick } from './calendar_tick.ts';
import type { PropertyResync } from './property_resync.ts';
import type { BookingImportService } from './booking_import_service.ts';
import type { Beds24RoomCatalog } from './room_catalog.ts';
import type { WebhookSetup } from './webhook_setup.ts';

export interface ConnectRequest {
  propertyId: string;
  /** Without it, the only Beds24 property of the invite code's account (what a small hotel has). */
  beds24PropertyId?: number;
  inviteCode?: string;
  refreshToken?: string;
  syncEnabled?: boolean;
  pushSyncEnabled?: boolean;
  pullSyncEnabled?: boolean;
}

export interface ConnectServiceDeps {
  db: Knex;
  connector: Beds24Connector;
  rooms: Pick<Beds24RoomCatalog, 'assertMappingsKnown' | 'store'>;
  resync: Pick<PropertyResync, 'queue'>;
  tick: Pick<CalendarTick, 'cover'>;
  queue: Pick<SyncQueue, 'send'>;
  imports: Pick<BookingImportService, 'queueFullImport' | 'queuePull'>;
  webhooks: Pick<WebhookSetup, 'configure'>;
  encryptionKey: string;
  clock: Clock;
}

/**
 * Connects a property to Beds24, or changes its Beds24 property or its toggles: the one path of the admin
 * route, the command line and demo mode. New credentials are checked against Beds24, and so is every
 * mapped room; the tokens are stored encrypted, jobs that gave up on refused credentials are resolved, and
 * the date-change tick and the nightly check cover the property from now. Connecting, reconnecting or
 * switching pushes back on queues a full resync and pushes the changes kept while pushes were off.
 * Connecting (pulls on) also queues a full import of the property's current and future bookings and, when
 * PUBLIC_URL is set, points its booking webhook at this PMS; switching pulls back on queues a pull of what
 * changed meanwhile. A refused request stores nothing.
 */
export class ConnectService {
  private readonly deps: ConnectServiceDeps;

  constructor(deps: ConnectServiceDeps) {
    this.deps = deps;
  }

  async connect(request: ConnectRequest): Promise<Beds24Config> {
    const { db, connector, rooms, resync, tick, queue, imports, webhooks, encryptionKey, clock } = this.deps;
    const { propertyId } = request;
    if (!(await findProperty(db, propertyId))) throw ValidationError.field('property_id', 'no property with this id');
    const beds24PropertyId = request.beds24PropertyId ?? (await this.onlyProperty(request));

    let connection: Connection | undefined;
    // The Beds24 property's rooms, when this request is checked against Beds24 (no call when nothing to check).
    let beds24RoomIds: number[] | undefined;
    if (request.inviteCode !== undefined || request.refreshToken !== undefined) {
      const credentials = { inviteCode: request.inviteCode, refreshToken: request.refreshToken };
      connection = await connector.connect(propertyId, beds24PropertyId, credentials);
      beds24RoomIds = connection.beds24RoomIds;
    } else {
      const current = await loadConfig(db, propertyId);
      // Another Beds24 property for a connected one: its stored token must reach it, as new credentials would.
      if (current?.refresh_token != null && current.beds24_property_id !== beds24PropertyId) {
        beds24RoomIds = await connector.reachableRooms(current, beds24PropertyId);
      }
    }

    const { config, resumed } = await inTransaction(db, async (trx) => {
      const before = await lockConfig(trx, propertyId);
      if (beds24RoomIds !== undefined) {
        await rooms.assertMappingsKnown(trx, propertyId, beds24PropertyId, beds24RoomIds);
      }
      const row: ConfigWrite = {
        property_id: propertyId,
        beds24_property_id: beds24PropertyId,
        sync_enabled: request.syncEnabled ?? before?.sync_enabled ?? true,
        push_sync_enabled: request.pushSyncEnabled ?? before?.push_sync_enabled ?? true,
        pull_sync_enabled: request.pullSyncEnabled ?? before?.pull_sync_enabled ?? true,
      };
      if (connection) {
        Object.assign(row, {
          refresh_token: encrypt(connection.refreshToken, encryptionKey),
          access_token: encrypt(connection.accessToken, encryptionKey),
          access_token_expires_at: connection.accessTokenExpiresAt,
          beds24_account_id: connection.beds24AccountId,
          connected_at: clock.now(),
        } satisfies Partial<ConfigWrite>);
      }
      await saveConfig(trx, row);
      if (beds24RoomIds !== undefined) await rooms.store(trx, propertyId, beds24PropertyId, beds24RoomIds);
      if (connection) {
        // New credentials are the fix for jobs that gave up on refused ones.
        await resolveAuthFailures(trx, propertyId);
        await tick.cover(trx, propertyId);
      }
      const after = (await loadConfig(trx, propertyId)) as Beds24Config;
      // Connecting (or reconnecting), or switching pushes back on, brings Beds24 up to date: bookings and calendar.
      const resumed = isPushEnabled(after) && (connection !== undefined || !isPushEnabled(before));
      if (resumed) await resync.queue(trx, propertyId);
      if (isPullEnabled(after) && connection !== undefined) await imports.queueFullImport(trx, propertyId);
      else if (isPullEnabled(after) && !isPullEnabled(before)) await imports.queuePull(trx, propertyId);
      return { config: after, resumed };
    });
    if (connection !== undefined && isPullEnabled(config)) await webhooks.configure(config);
    // The changes kept while pushes were off (of every kind, past stays' included) go out now too.
    if (resumed) for (const kind of await pendingKinds(db, propertyId)) await queue.send(db, kind, propertyId);
    return config;
  }

  private async onlyProperty(request: ConnectRequest): Promise<number> {
    if (request.inviteCode === undefined) {
      const message = 'required unless an invite code names an account with one property';
      throw ValidationError.field('beds24_property_id', message);
    }
    return this.deps.connector.onlyProperty(request.propertyId, request.inviteCode);
  }
}
