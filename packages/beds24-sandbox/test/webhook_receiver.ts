import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { Json } from './sandbox_harness.ts';

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  body: Json;
}

/** A tiny real HTTP receiver on a random port that records every POST and answers what `respond` says. */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  readonly url: string;
  readonly #server: Server;
  #respond: (index: number) => number;
  #waiters: Array<() => void> = [];

  private constructor(server: Server, url: string, respond: (index: number) => number) {
    this.#server = server;
    this.url = url;
    this.#respond = respond;
  }

  static async start(respond: (index: number) => number = () => 200): Promise<WebhookReceiver> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const index = receiver.received.length;
        const body: unknown = text === '' ? undefined : JSON.parse(text);
        receiver.received.push({ path: req.url ?? '', headers: req.headers, body });
        res.statusCode = receiver.#respond(index);
        res.end();
        for (const wake of receiver.#waiters.splice(0)) wake();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const receiver = new WebhookReceiver(server, `http://127.0.0.1:${port}/hook`, respond);
    return receiver;
  }

  respondWith(respond: (index: number) => number): void {
    this.#respond = respond;
  }

  /** Waits (up to a deadline, never a fixed sleep) until at least `count` requests arrived. */
  async waitFor(count: number, timeoutMs = 5000): Promise<ReceivedWebhook[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${count} webhooks, got ${this.received.length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.received;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** A URL on which nothing listens: a port that was free a moment ago. */
export async function unreachableUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/hook`;
}
