import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db.ts';
import { createProperty, fingerprint } from '../helpers/fixtures.ts';
import { ADMIN_TOKEN, API_TOKEN, startTestApp, type TestApp } from '../helpers/test_app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test_database.ts';

let database: TestDatabase;
let app: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await startTestApp(database);
});

afterAll(async () => {
  await app.close();
  await database.drop();
});

describe('auth', () => {
  it.each([
    ['no token', null],
    ['a wrong token', 'wrong'],
    ['an empty token', ''],
  ])('answers 401 with %s', async (_name, token) => {
    for (const [method, path] of [
      ['GET', '/api/properties'],
      ['POST', '/api/reservations'],
      ['GET', '/api/admin/beds24/status'],
    ] as const) {
      const res = await app.request(method, path, method === 'POST' ? {} : undefined, token);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
    }
  });

  it('rejects a token sent another way than Bearer', async () => {
    const res = await fetch(`${app.baseUrl}/api/properties`, { headers: { authorization: `Basic ${API_TOKEN}` } });
    expect(res.status).toBe(401);
  });

  it('refuses the API token on admin paths but accepts the admin token everywhere', async () => {
    expect((await app.request('GET', '/api/admin/beds24/status', undefined, API_TOKEN)).status).toBe(401);
    expect((await app.request('GET', '/api/admin/anything', undefined, ADMIN_TOKEN)).status).toBe(404);
    expect((await app.request('GET', '/api/properties', undefined, ADMIN_TOKEN)).status).toBe(200);
  });

  it('does not reveal unknown routes to anonymous callers', async () => {
    expect((await app.request('GET', '/api/nothing-here', undefined, null)).status).toBe(401);
  });
});

describe('limits and errors', () => {
  it('answers 413 for a body over 1 MB and changes nothing', async () => {
    const before = await fingerprint(database.db);
    const res = await app.request('POST', '/api/properties', { name: 'x', padding: 'y'.repeat(1_100_000) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
    expect(await fingerprint(database.db)).toEqual(before);
  });

  it('answers 404 in the error format for unknown routes', async () => {
    const res = await app.request('GET', '/api/unknown');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: expect.any(String), details: [] } });
  });

  it('answers 400 for a JSON body with a wrong content type', async () => {
    const res = await fetch(`${app.baseUrl}/api/properties`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'text/plain' },
      body: '{"name":"x"}',
    });
    expect(res.status).toBe(400);
  });

  it('serves healthz without a token, and 503 when the database is gone', async () => {
    const res = await app.request('GET', '/healthz', undefined, null);
    expect(res).toEqual({ status: 200, body: { status: 'ok' } });
    await createProperty(app);

    const unreachable = createDb({ url: 'postgres://postgres@127.0.0.1:1/none' });
    const broken = await startTestApp(
      { db: unreachable, url: 'postgres://postgres@127.0.0.1:1/none' },
      { queue: false },
    );
    try {
      expect(await broken.request('GET', '/healthz', undefined, null)).toEqual({
        status: 503,
        body: { status: 'unavailable' },
      });
    } finally {
      await broken.close();
      await unreachable.destroy();
    }
  });
});
