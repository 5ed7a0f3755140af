import { readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SandboxStateFileError, describeIssues } from './sandbox_errors.ts';
import { snapshotSchema, type Snapshot } from './sandbox_model.ts';
import type { SandboxLogger } from './sandbox_options.ts';

/** Longest a change waits before it reaches the disk. */
const SAVE_DELAY_MS = 200;

/**
 * Keeps the sandbox's state in one JSON file so a demo restart keeps bookings and calendar. Saves are
 * coalesced (at most one write per SAVE_DELAY_MS) and atomic (temp file + rename), so a crash mid-write
 * leaves the previous state intact.
 */
export class StatePersister {
  readonly #file: string;
  readonly #snapshot: () => Snapshot;
  readonly #logger: SandboxLogger | undefined;
  #timer: NodeJS.Timeout | undefined;
  #dirty = false;
  #writing: Promise<void> = Promise.resolve();
  #sequence = 0;

  constructor(file: string, snapshot: () => Snapshot, logger?: SandboxLogger) {
    this.#file = file;
    this.#snapshot = snapshot;
    this.#logger = logger;
  }

  /** The stored snapshot, or undefined when the file does not exist yet. */
  static load(file: string): Snapshot | undefined {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new SandboxStateFileError(file, (error as Error).message);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new SandboxStateFileError(file, 'not valid JSON');
    }
    const parsed = snapshotSchema.safeParse(json);
    if (!parsed.success) throw new SandboxStateFileError(file, describeIssues(parsed.error, 3));
    return parsed.data;
  }

  markDirty(): void {
    this.#dirty = true;
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.flush();
    }, SAVE_DELAY_MS);
    this.#timer.unref();
  }

  /** Writes pending changes now; resolves once everything changed so far is on disk. */
  flush(): Promise<void> {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#dirty) {
      this.#dirty = false;
      const json = JSON.stringify(this.#snapshot());
      this.#writing = this.#writing.then(() => this.#write(json));
    }
    return this.#writing;
  }

  async #write(json: string): Promise<void> {
    const temp = `${this.#file}.${process.pid}.${++this.#sequence}.tmp`;
    try {
      await mkdir(dirname(this.#file), { recursive: true });
      await writeFile(temp, json);
      await rename(temp, this.#file);
    } catch (error) {
      this.#dirty = true;
      this.#logger?.error({ err: error, file: this.#file }, 'beds24 sandbox could not save its state');
    }
  }
}
