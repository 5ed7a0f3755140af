import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/app.ts';
import type { Knex } from '../../src/db.ts';
import { createLogger } from '../../src/logger.ts';

export const API_TOKEN = 'test-api-token';
export const ADMIN_TOKEN = 'test-admin-token';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
}

export interface TestApp {
  baseUrl: string;
  request<T = any>(method: string, path: string, body?: unknown, token?: string | null): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

/** The real Express app on a real port, talked to over HTTP with fetch. */
export async function startTestApp(db: Knex): Promise<TestApp> {
  const app = createApp({ db, logger: createLogger('silent'), apiToken: API_TOKEN, adminToken: ADMIN_TOKEN });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    async request(method, path, body, token = API_TOKEN) {
      const headers: Record<string, string> = {};
      if (token !== null) headers.authorization = `Bearer ${token}`;
      let payload: string | undefined;
      if (body !== undefined) {
        headers['content-type'] = 'application/json';
        payload = typeof body === 'string' ? body : JSON.stringify(body);
      }
      const res = await fetch(`${baseUrl}${path}`, { method, headers, body: payload });
      const text = await res.text();
      return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
