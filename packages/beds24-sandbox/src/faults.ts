import { SandboxInputError, describeIssues } from './sandbox_errors.ts';
import { faultsSchema, type Faults, type FaultsInput } from './sandbox_options.ts';

/**
 * Decides, per /v2 request, whether to misbehave. Draws from the injected random only for knobs that are
 * on, in a fixed order (latency range, then error, then drop), so tests can script the sequence.
 */
export class FaultInjector {
  #faults: Faults = faultsSchema.parse({});
  readonly #random: () => number;

  constructor(random: () => number) {
    this.#random = random;
  }

  get current(): Faults {
    return structuredClone(this.#faults);
  }

  set(input: FaultsInput): Faults {
    const parsed = faultsSchema.safeParse(input);
    if (!parsed.success) throw new SandboxInputError(`invalid faults: ${describeIssues(parsed.error)}`);
    const latency = parsed.data.latencyMs;
    if (Array.isArray(latency) && latency[0] > latency[1])
      throw new SandboxInputError('invalid faults: latencyMs range must be [min, max]');
    this.#faults = parsed.data;
    return this.current;
  }

  clear(): void {
    this.#faults = faultsSchema.parse({});
  }

  /** `onlyPaths` entries may be '/bookings', '/v2/bookings' or 'POST /bookings'. */
  appliesTo(method: string, path: string): boolean {
    const only = this.#faults.onlyPaths;
    if (only.length === 0) return true;
    return only.some((entry) => {
      const [first, second] = entry.trim().split(/\s+/);
      const entryMethod = second === undefined ? undefined : first?.toUpperCase();
      const entryPath = normalizePath(second ?? first ?? '');
      return entryPath === path && (entryMethod === undefined || entryMethod === method.toUpperCase());
    });
  }

  latencyMs(): number {
    const latency = this.#faults.latencyMs;
    if (!Array.isArray(latency)) return latency;
    const [min, max] = latency;
    return min === max ? min : min + this.#random() * (max - min);
  }

  shouldError(): boolean {
    return this.#faults.errorRate > 0 && this.#random() < this.#faults.errorRate;
  }

  get errorStatus(): number {
    return this.#faults.errorStatus;
  }

  shouldDrop(): boolean {
    return this.#faults.dropRate > 0 && this.#random() < this.#faults.dropRate;
  }
}

function normalizePath(path: string): string {
  return path.startsWith('/v2/') ? path.slice(3) : path;
}
