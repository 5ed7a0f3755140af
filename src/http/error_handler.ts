import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, ConflictError, PayloadTooLargeError, ValidationError } from '../errors.ts';
import type { Logger } from '../logger.ts';

export const BODY_LIMIT = '1mb';

interface HttpishError {
  type?: string;
  status?: number;
  code?: string;
  constraint?: string;
  message?: string;
}

export function notFoundHandler(): RequestHandler {
  return (req, res) => {
    res
      .status(404)
      .json({ error: { code: 'not_found', message: `no route for ${req.method} ${req.path}`, details: [] } });
  };
}

/** Turns every error into the contract's `{error: {code, message, details}}`; only unknown errors become 500. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const known = toAppError(error);
    if (known === undefined) {
      logger.error({ err: error, method: req.method, path: req.path }, 'unhandled error');
      res.status(500).json({ error: { code: 'internal_error', message: 'internal error', details: [] } });
      return;
    }
    res.status(known.status).json({ error: { code: known.code, message: known.message, details: known.details } });
  };
}

function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as HttpishError;
  if (e.type === 'entity.too.large') return new PayloadTooLargeError(BODY_LIMIT);
  if (e.type === 'entity.parse.failed') return ValidationError.field('body', 'request body is not valid JSON');
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') {
    return ValidationError.field('body', 'unsupported body encoding');
  }
  // Express and body-parser mark client faults with a 4xx status: a bad %-escape in the path (URIError),
  // a body whose Content-Encoding does not match its bytes (zlib errors), an unsupported media type.
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    const where = error instanceof URIError ? 'path' : 'body';
    return ValidationError.field(
      where,
      where === 'path' ? 'is not a valid URL encoding' : 'request body cannot be read',
    );
  }
  // The database constraints back up the checks done in code; under a race they are what fires.
  if (e.code === '23P01') return new ConflictError('the stay overlaps another reservation of this room');
  if (e.code === '23505') return new ConflictError(`duplicate value violates ${e.constraint ?? 'a unique constraint'}`);
  return undefined;
}
