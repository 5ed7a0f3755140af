import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ApiResponse } from './test_app.ts';

export const SERVER_ENTRY = fileURLToPath(new URL('../../src/server.ts', import.meta.url));
export const CLI_ENTRY = fileURLToPath(new URL('../../src/integrations/beds24/cli/beds24_cli.ts', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  /** Resolves with the exit code (or the signal name) once the process has exited. */
  exited: Promise<number | string>;
}

/** One REST call to a server process, with a bearer token: JSON in, JSON (or nothing) out. */
export async function callServer(
  server: Pick<ServerProcess, 'url'>,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<ApiResponse> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** The server entry under the test's environment (undefined values removed), with its output collected. */
function startChild(
  env: Record<string, string | undefined>,
  args: string[] = [SERVER_ENTRY],
): { child: ChildProcess; output: () => string } {
  const childEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...process.env, ...env })) if (value !== undefined) childEnv[key] = value;
  const child = spawn(process.execPath, args, { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

/** `node src/server.ts` as a child process, exactly as `npm start` runs it, resolved once it listens. */
export async function spawnServer(env: Record<string, string | undefined>, timeoutMs = 60_000): Promise<ServerProcess> {
  const { child, output: read } = startChild(env);
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in ${timeoutMs} ms:\n${read()}`)), timeoutMs);
    const check = (): void => {
      const match = /listening on (http:\/\/\S+)/.exec(read());
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening:\n${read()}`));
    });
  });
  return { child, url, output: read, exited };
}

/** The server as a child process, not waiting for anything: for tests that act while it starts. */
export function startServerProcess(env: Record<string, string | undefined>): {
  child: ChildProcess;
  exited: Promise<number | string>;
} {
  const { child } = startChild(env);
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  return { child, exited };
}

/** Runs the server expecting it to refuse to start; returns its exit code and output. */
export function runServerToExit(
  env: Record<string, string | undefined>,
): Promise<{ code: number | null; output: string }> {
  const { child, output } = startChild(env);
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output: output() })));
}

/** `npm run beds24 -- <args>` as a child process, to its exit. */
export function runCliProcess(
  env: Record<string, string | undefined>,
  args: string[],
): Promise<{ code: number | null; output: string }> {
  const { child, output } = startChild(env, [CLI_ENTRY, ...args]);
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output: output() })));
}
