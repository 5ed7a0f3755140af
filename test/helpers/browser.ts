import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliDecompressSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';

const ARGS = [
  '--no-sandbox',
  '--no-zygote',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SYSTEM_BROWSERS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

type Find = () => Promise<Candidate>;

interface Candidate {
  executablePath: string;
  env?: Record<string, string>;
}

export class NoBrowserError extends Error {
  readonly code = 'no_browser';
}

/**
 * Starts a headless Chromium for the browser tests: CHROMIUM_PATH when set (and only that), else the one the
 * `@sparticuz/chromium` dev dependency ships (so `npm ci && npm test` needs nothing from the system), else
 * the system's. Throws when none starts: the suite fails, it is never skipped.
 */
export async function launchBrowser(): Promise<Browser> {
  const explicit = process.env.CHROMIUM_PATH;
  const at =
    (path: string): Find =>
    async () => ({ executablePath: path });
  const candidates: Array<[string, Find]> = explicit
    ? [['CHROMIUM_PATH', at(explicit)]]
    : [
        ['@sparticuz/chromium', npmChromium],
        ...SYSTEM_BROWSERS.filter((path) => existsSync(path)).map((path): [string, Find] => [path, at(path)]),
      ];
  const failures: string[] = [];
  for (const [name, candidate] of candidates) {
    try {
      const found = await candidate();
      const env = { ...process.env, ...found.env };
      return await chromium.launch({ executablePath: found.executablePath, args: ARGS, env });
    } catch (error) {
      failures.push(`${name}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  throw new NoBrowserError(
    `no Chromium could be started for the browser tests (tried ${failures.join('; ')}). ` +
      'Run npm ci (it installs @sparticuz/chromium), install the chromium package, or set CHROMIUM_PATH.',
  );
}

/** The package's Chromium, unpacked into the temp folder, with the NSS libraries it ships (no system ones needed). */
async function npmChromium(): Promise<Candidate> {
  if (platform() !== 'linux' || arch() !== 'x64') throw new NoBrowserError('it ships a linux-x64 build only');
  const { default: sparticuz } = await import('@sparticuz/chromium');
  const executablePath = await sparticuz.executablePath();
  const bin = join(dirname(fileURLToPath(import.meta.resolve('@sparticuz/chromium'))), '..', '..', 'bin');
  const libs = await unpackLibraries(join(bin, 'al2023.tar.br'), join(tmpdir(), 'al2023'));
  const libraryPath = [libs, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  return { executablePath, env: { LD_LIBRARY_PATH: libraryPath } };
}

async function unpackLibraries(archive: string, target: string): Promise<string> {
  const libs = join(target, 'lib');
  if (existsSync(join(libs, 'libnss3.so'))) return libs;
  // Unpacked beside the target and renamed, so a concurrent run never sees half a folder.
  const partial = `${target}.${process.pid}`;
  await mkdir(partial, { recursive: true });
  const tarFile = `${partial}.tar`;
  await writeFile(tarFile, brotliDecompressSync(await readFile(archive)));
  try {
    await promisify(execFile)('tar', ['-xf', tarFile, '-C', partial]);
  } finally {
    await rm(tarFile, { force: true });
  }
  await rename(partial, target).catch(async () => rm(partial, { recursive: true, force: true }));
  return libs;
}
