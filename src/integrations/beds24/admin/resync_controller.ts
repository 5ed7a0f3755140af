import type { RequestHandler } from 'express';
import { parse } from '../../../http/validate.ts';
import type { Beds24Sync } from '../beds24_sync.ts';
import { PullBody, ResyncBody } from './admin_schemas.ts';

export interface ResyncControllerDeps {
  sync: Pick<Beds24Sync, 'resync' | 'pull'>;
}

export function createResyncController({ sync }: ResyncControllerDeps) {
  const resyncHandler: RequestHandler = async (req, res) => {
    const input = parse(ResyncBody, req.body);
    const jobId = await sync.resync(input.property_id, { from: input.from, to: input.to });
    res.status(202).json({ job_id: jobId });
  };

  /** A full import of the property's current and future bookings from Beds24. */
  const pullHandler: RequestHandler = async (req, res) => {
    const input = parse(PullBody, req.body);
    const jobId = await sync.pull(input.property_id);
    res.status(202).json({ job_id: jobId });
  };

  return { resyncHandler, pullHandler };
}
