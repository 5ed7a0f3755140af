import {
  createBeds24Sandbox,
  type Beds24Sandbox,
  type CreateAccountInput,
  type CreatedAccount,
  type SandboxOptions,
} from '../src/index.ts';

/** A settable clock: tests move time instead of waiting for it. */
export class FakeClock {
  #now: number;

  constructor(start: string) {
    this.#now = Date.parse(start);
  }

  now = (): Date => new Date(this.#now);

  advanceSeconds(seconds: number): void {
    this.#now += seconds * 1000;
  }
}

/** A scripted random source: returns the queued values in order, then `fallback`. */
export function scriptedRandom(values: number[], fallback = 0.999): () => number {
  const queue = [...values];
  return () => queue.shift() ?? fallback;
}

export interface ApiResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface CallOptions {
  token?: string | null;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface Harness {
  sandbox: Beds24Sandbox;
  clock: FakeClock;
  url: string;
  origin: string;
  account: CreatedAccount;
  token: string;
  call<T = any>(method: string, path: string, options?: CallOptions): Promise<ApiResult<T>>;
  admin<T = any>(method: string, path: string, body?: unknown): Promise<ApiResult<T>>;
  close(): Promise<void>;
}

export const TODAY = '2026-03-10';

export const DEFAULT_ACCOUNT: CreateAccountInput = {
  properties: [
    {
      name: 'Hotel Sandbox',
      timezone: 'Europe/Berlin',
      rooms: [
        { name: 'Double', qty: 2 },
        { name: 'Single', qty: 1 },
      ],
    },
  ],
};

export async function request<T = any>(url: string, method: string, options: CallOptions = {}): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.token !== undefined && options.token !== null) headers.token = options.token;
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

/** A sandbox on a random port with one account (two rooms), a fake clock and a ready access token. */
export async function startHarness(
  options: { sandbox?: SandboxOptions; account?: CreateAccountInput; start?: string } = {},
): Promise<Harness> {
  const clock = new FakeClock(options.start ?? `${TODAY}T10:00:00Z`);
  const sandbox = createBeds24Sandbox({ clock: clock.now, ...options.sandbox });
  const url = await sandbox.listen(0);
  const account = sandbox.createAccount(options.account ?? DEFAULT_ACCOUNT);
  const token = sandbox.createAccessToken(account.accountId);
  const origin = url.slice(0, -'/v2'.length);
  return {
    sandbox,
    clock,
    url,
    origin,
    account,
    token,
    call: (method, path, callOptions = {}) => request(`${url}${path}`, method, { token, ...callOptions }),
    admin: (method, path, body) => request(`${origin}/_sandbox${path}`, method, body === undefined ? {} : { body }),
    close: () => sandbox.close(),
  };
}
