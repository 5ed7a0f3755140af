import type { z } from 'zod';

/** `path: message; path: message` for the first few zod issues. */
export function describeIssues(error: z.ZodError, limit = 5): string {
  return error.issues
    .slice(0, limit)
    .map((i) => `${i.path.join('.') || 'value'}: ${i.message}`)
    .join('; ');
}

/**
 * Base of every error the sandbox throws, with a stable `code` and the HTTP status its routes answer it
 * with. Subclasses: a misuse of the sandbox's own programmatic or `/_sandbox` API, a malformed /v2 request,
 * a lookup in the OpenAPI file that finds nothing.
 */
export class SandboxError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(code: string, status: number, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.status = status;
  }
}

export class SandboxNotFoundError extends SandboxError {
  constructor(what: string, id: number | string) {
    super('sandbox_not_found', 404, `${what} ${id} does not exist in the sandbox`);
  }
}

export class SandboxInputError extends SandboxError {
  constructor(message: string) {
    super('sandbox_invalid_input', 400, message);
  }
}

export class SandboxStateFileError extends SandboxError {
  constructor(file: string, reason: string) {
    super('sandbox_state_file_invalid', 500, `cannot load sandbox state from ${file}: ${reason}`);
  }
}

/** A /v2 request is malformed: the pipeline turns it into Beds24's 400 `UnsuccessfulApiResponse`, uncharged. */
export class Beds24RequestError extends SandboxError {
  constructor(message: string) {
    super('beds24_bad_request', 400, message);
  }
}
