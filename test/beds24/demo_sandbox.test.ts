import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.ts';
import { SANDBOX_STATE_FILE, startDemoSandbox } from '../../src/integrations/beds24/demo/demo_sandbox.ts';
import { createLogger } from '../../src/logger.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pms-demo-sandbox-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the demo sandbox', () => {
  it('starts from its state file under the data folder and keeps its accounts across a restart', async () => {
    const first = await startDemoSandbox(dir, createLogger('silent'), { publish: false });
    const { accountId } = first.sandbox.createAccount({});
    await first.close();
    const second = await startDemoSandbox(dir, createLogger('silent'), { publish: false });
    try {
      expect(second.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v2$/);
      expect(second.sandbox.accountIds).toEqual([accountId]);
    } finally {
      await second.close();
    }
  });

  // npm start prints an AppError as one line and exits 1; any other error is a stack trace.
  it('refuses a state file that is not valid with an AppError naming the file', async () => {
    const file = join(dir, SANDBOX_STATE_FILE);
    await writeFile(file, 'not json');
    const started = startDemoSandbox(dir, createLogger('silent'), { publish: false });
    await expect(started).rejects.toBeInstanceOf(AppError);
    await expect(started).rejects.toMatchObject({
      code: 'sandbox_state_file_invalid',
      message: `cannot load sandbox state from ${file}: not valid JSON`,
    });
  });
});
