import type { RequestHandler } from 'express';
import type { Knex } from '../../../db.ts';
import { NotFoundError } from '../../../errors.ts';
import { parse } from '../../../http/validate.ts';
import type { Beds24Sync } from '../beds24_sync.ts';
import { loadConfig, type Beds24Config } from '../store/config_store.ts';
import { ConfigBody, PropertyIdParams } from './admin_schemas.ts';

export interface ConfigControllerDeps {
  db: Knex;
  sync: Pick<Beds24Sync, 'connect'>;
}

/** Never the tokens: only whether there is one. */
function present(config: Beds24Config) {
  return {
    property_id: config.property_id,
    beds24_property_id: config.beds24_property_id,
    sync_enabled: config.sync_enabled,
    push_sync_enabled: config.push_sync_enabled,
    pull_sync_enabled: config.pull_sync_enabled,
    connected: config.refresh_token !== null,
  };
}

export function createConfigController({ db, sync }: ConfigControllerDeps) {
  const putConfigHandler: RequestHandler = async (req, res) => {
    const input = parse(ConfigBody, req.body);
    const config = await sync.connect({
      propertyId: input.property_id,
      beds24PropertyId: input.beds24_property_id,
      inviteCode: input.invite_code,
      refreshToken: input.refresh_token,
      syncEnabled: input.sync_enabled,
      pushSyncEnabled: input.push_sync_enabled,
      pullSyncEnabled: input.pull_sync_enabled,
    });
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
