import { isCalendarDate } from './dates.ts';
import { Beds24RequestError } from './sandbox_errors.ts';

const INTEGER_RE = /^-?\d+$/;
const DATE_TIME_RE = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * Reads query parameters the way Beds24 does: arrays are repeated keys (`?status=a&status=b`), and a
 * value in the wrong format is a 400 naming the parameter rather than being silently ignored.
 */
export class QueryParams {
  readonly #search: URLSearchParams;

  constructor(search: URLSearchParams) {
    this.#search = search;
  }

  has(name: string): boolean {
    return this.#search.has(name);
  }

  string(name: string): string | undefined {
    const values = this.#search.getAll(name);
    return values.length === 0 ? undefined : values[values.length - 1];
  }

  strings(name: string): string[] | undefined {
    const values = this.#search.getAll(name);
    return values.length === 0 ? undefined : values;
  }

  integers(name: string): number[] | undefined {
    const values = this.#search.getAll(name);
    if (values.length === 0) return undefined;
    return values.map((value) => {
      if (!INTEGER_RE.test(value))
        throw new Beds24RequestError(`Parameter ${name} is in an invalid format. Expected an integer, got "${value}"`);
      return Number(value);
    });
  }

  integer(name: string): number | undefined {
    const values = this.integers(name);
    return values === undefined ? undefined : values[values.length - 1];
  }

  enums<T extends string>(name: string, allowed: readonly T[]): T[] | undefined {
    const values = this.#search.getAll(name);
    if (values.length === 0) return undefined;
    return values.map((value) => {
      const match = allowed.find((a) => a === value);
      if (match === undefined)
        throw new Beds24RequestError(
          `Parameter ${name} has an invalid value "${value}". Allowed values: ${allowed.join(', ')}`,
        );
      return match;
    });
  }

  enumValue<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const values = this.enums(name, allowed);
    return values === undefined ? undefined : values[values.length - 1];
  }

  date(name: string): string | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (!isCalendarDate(value))
      throw new Beds24RequestError(`Parameter ${name} is in an invalid format. Expected format: YYYY-MM-DD`);
    return value;
  }

  /** Epoch milliseconds; a value without a zone is read as UTC, as Beds24 documents for bookingTime. */
  dateTime(name: string): number | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const match = DATE_TIME_RE.exec(value);
    const ms = match === null ? Number.NaN : Date.parse(match[6] === undefined ? `${value}Z` : value);
    if (match === null || !isCalendarDate(match[1] ?? '') || Number.isNaN(ms)) {
      throw new Beds24RequestError(`Parameter ${name} is in an invalid format. Expected format: YYYY-MM-DDTHH:MM:SS`);
    }
    return ms;
  }

  boolean(name: string): boolean {
    const value = this.string(name);
    if (value === undefined) return false;
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    throw new Beds24RequestError(`Parameter ${name} is in an invalid format. Expected true or false`);
  }

  /** 1-based page number; Beds24 calls page 2 "a page of items beyond the first". */
  page(): number {
    const page = this.integer('page') ?? 1;
    if (page < 1) throw new Beds24RequestError('Parameter page must be 1 or more');
    return page;
  }
}
