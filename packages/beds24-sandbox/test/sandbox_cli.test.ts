import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { request } from './sandbox_harness.ts';

const CLI = fileURLToPath(new URL('../src/sandbox_cli.ts', import.meta.url));

let child: ChildProcess | undefined;
afterEach(async () => {
  if (child !== undefined && child.exitCode === null) {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }
  child = undefined;
});

/** Resolves with the URL and invite code the CLI prints once it listens. */
function readBanner(proc: ChildProcess): Promise<{ url: string; code: string }> {
  return new Promise((resolve, reject) => {
    let output = '';
    proc.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /listening on (\S+)/.exec(output)?.[1];
      const code = /invite code: (\S+)/.exec(output)?.[1];
      if (url !== undefined && code !== undefined) resolve({ url, code });
    });
    proc.once('exit', (code) => reject(new Error(`sandbox CLI exited with ${code}: ${output}`)));
  });
}

describe('sandbox CLI', () => {
  it('runs standalone, seeds an account and prints a usable invite code', async () => {
    child = spawn(process.execPath, [CLI, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LOG_LEVEL: 'silent' },
    });
    const { url, code } = await readBanner(child);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v2$/);
    const setup = await request(`${url}/authentication/setup`, 'GET', { headers: { code } });
    expect(setup.status).toBe(200);
    const properties = await request(`${url}/properties`, 'GET', { token: setup.body.token });
    expect(properties.body.data).toEqual([
      expect.objectContaining({
        name: 'Sandbox Hotel',
        roomTypes: [expect.objectContaining({ qty: 5 }), expect.objectContaining({ qty: 3 })],
      }),
    ]);
  });

  it('takes the default inventory model of new accounts from --inventory-model', async () => {
    const args = [CLI, '--port', '0', '--inventory-model', 'decrement'];
    const env = { ...process.env, LOG_LEVEL: 'silent' };
    child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    const { url } = await readBanner(child);
    const admin = `${url.slice(0, -'/v2'.length)}/_sandbox`;
    const { accountIds } = (await request(`${admin}/accounts`, 'GET')).body as { accountIds: number[] };
    const reported = await request(`${admin}/accounts/${accountIds[0]}/inventory-model`, 'GET');
    expect(reported.body).toEqual({ accountId: accountIds[0], model: 'decrement' });
  });
});
