import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../../logger.ts';
import { createBeds24Sandbox, type Beds24Sandbox } from '../sandbox/index.ts';

/** Where a demo-mode server writes its in-process sandbox's URL (under DATA_DIR), for the command line. */
export const SANDBOX_URL_FILE = 'beds24-sandbox.url';
/** The demo sandbox's accounts, bookings and calendar (under DATA_DIR), kept across restarts. */
export const SANDBOX_STATE_FILE = 'beds24-sandbox.json';

const HEALTH_TIMEOUT_MS = 2000;

export interface DemoSandbox {
  sandbox: Beds24Sandbox;
  /** The Beds24 API base URL, ending in /v2. */
  url: string;
  /** Stops it (its state is saved) and withdraws its published URL if the file still names it. */
  close(): Promise<void>;
}

/**
 * Starts the demo Beds24 sandbox in this process on a free port, from the state file under `dataDir`.
 * With `publish`, its URL is written where the command line looks for a running demo server.
 */
export async function startDemoSandbox(
  dataDir: string,
  logger: Logger,
  { publish }: { publish: boolean },
): Promise<DemoSandbox> {
  const persistFile = join(dataDir, SANDBOX_STATE_FILE);
  const sandbox = createBeds24Sandbox({ persistFile, logger: logger.child({ component: 'beds24-sandbox' }) });
  const url = await sandbox.listen(0);
  const urlFile = join(dataDir, SANDBOX_URL_FILE);
  if (publish) await writeFile(urlFile, `${url}\n`);
  return {
    sandbox,
    url,
    close: async () => {
      // Another server in this folder may have published its own URL since: that one is not ours to remove.
      if (publish && (await readUrlFile(urlFile)) === url) await rm(urlFile, { force: true });
      await sandbox.close();
    },
  };
}

/** The URL of the sandbox a running demo server published under `dataDir`, if it answers. */
export async function findRunningDemoSandbox(dataDir: string): Promise<string | undefined> {
  const url = await readUrlFile(join(dataDir, SANDBOX_URL_FILE));
  if (url === undefined) return undefined;
  try {
    const res = await fetch(new URL('/_sandbox/health', url), { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
    return res.ok ? url : undefined;
  } catch {
    // A server killed without its shutdown leaves the file behind; nothing listens there any more.
    return undefined;
  }
}

async function readUrlFile(file: string): Promise<string | undefined> {
  try {
    return (await readFile(file, 'utf8')).trim() || undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
