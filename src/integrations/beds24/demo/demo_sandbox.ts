import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Beds24Sandbox } from '@pms/beds24-sandbox';
import { AppError } from '../../../errors.ts';
import type { Logger } from '../../../logger.ts';

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

/** The demo sandbox could not start, e.g. its state file is not valid: one line for the operator. */
export class DemoSandboxError extends AppError {
  constructor(code: string, message: string) {
    super(code, 500, message);
  }
}

/**
 * Starts the demo Beds24 sandbox in this process on a free port, from the state file under `dataDir`.
 * With `publish`, its URL is written where the command line looks for a running demo server. The
 * sandbox package is imported here, at demo mode's start only, so a start with BEDS24_API_URL never
 * loads it (nor its validators and its 8,000-line OpenAPI file).
 */
export async function startDemoSandbox(
  dataDir: string,
  logger: Logger,
  { publish }: { publish: boolean },
): Promise<DemoSandbox> {
  const { createBeds24Sandbox, SandboxError } = await import('@pms/beds24-sandbox');
  const persistFile = join(dataDir, SANDBOX_STATE_FILE);
  let sandbox: Beds24Sandbox;
  try {
    sandbox = createBeds24Sandbox({ persistFile, logger: logger.child({ component: 'beds24-sandbox' }) });
  } catch (error) {
    if (error instanceof SandboxError) throw new DemoSandboxError(error.code, error.message);
    throw error;
  }
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
