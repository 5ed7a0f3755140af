import { describe, expect, it } from 'vitest';
import { UNMATCHED_ROUTE, routePattern } from '../../src/http/http_metrics.ts';

describe('routePattern', () => {
  it.each([
    ['a route of a mounted router', '/reservations/:id', '/api/reservations/3f6c?x=1', '/api/reservations/:id'],
    ['a deeper mount', '/jobs/:id/retry', '/api/admin/beds24/jobs/9/retry', '/api/admin/beds24/jobs/:id/retry'],
    ['an app-level route', '/healthz', '/healthz', '/healthz'],
    ['a trailing slash', '/rooms', '/api/rooms/', '/api/rooms'],
    ['no route matched', undefined, '/api/unknown/123', UNMATCHED_ROUTE],
  ])('%s', (_name, route, originalUrl, expected) => {
    expect(routePattern({ route: route === undefined ? undefined : { path: route }, originalUrl })).toBe(expected);
  });
});
