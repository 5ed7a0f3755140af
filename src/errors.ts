export interface ErrorDetail {
  path: string;
  message: string;
}

/** Base class of every error that crosses a boundary: it carries a stable `code` callers can switch on. */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: ErrorDetail[];

  constructor(code: string, status: number, message: string, details: ErrorDetail[] = []) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

export class ValidationError extends AppError {
  constructor(details: ErrorDetail[], message = describeDetails(details)) {
    super('validation_failed', 400, message, details);
  }

  static field(path: string, message: string): ValidationError {
    return new ValidationError([{ path, message }]);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'missing or invalid bearer token') {
    super('unauthorized', 401, message);
  }
}

export class NotFoundError extends AppError {
  constructor(what: string, id: string) {
    super('not_found', 404, `${what} ${id} not found`);
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super('conflict', 409, message);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(limit: string) {
    super('payload_too_large', 413, `request body is larger than ${limit}`);
  }
}

export class ConfigError extends AppError {
  constructor(message: string) {
    super('config_invalid', 500, message);
  }
}

function describeDetails(details: ErrorDetail[]): string {
  if (details.length === 0) return 'request is invalid';
  return details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ');
}
