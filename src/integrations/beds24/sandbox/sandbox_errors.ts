import type { z } from 'zod';
import { AppError } from '../../../errors.ts';

/** `path: message; path: message` for the first few zod issues. */
export function describeIssues(error: z.ZodError, limit = 5): string {
  return error.issues.slice(0, limit).map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ');
}

/** A misuse of the sandbox's own programmatic or `/_sandbox` API (not a Beds24 API answer). */
export class SandboxError extends AppError {
  constructor(code: string, status: number, message: string) {
    super(code, status, message);
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
export class Beds24RequestError extends AppError {
  constructor(message: string) {
    super('beds24_bad_request', 400, message);
  }
}
