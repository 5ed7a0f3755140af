import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { UnauthorizedError } from '../errors.ts';

/** Accepts `Authorization: Bearer <token>` matching any of `tokens`, compared in constant time. */
export function requireBearer(tokens: string[]): RequestHandler {
  const digests = tokens.map(digest);
  return (req, _res, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
    const presented = match?.[1] === undefined ? undefined : digest(match[1]);
    if (presented === undefined || !digests.some((known) => timingSafeEqual(known, presented))) {
      next(new UnauthorizedError());
      return;
    }
    next();
  };
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
