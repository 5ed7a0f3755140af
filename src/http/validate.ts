import type { z } from 'zod';
import { ValidationError, type ErrorDetail } from '../errors.ts';

/** Parses one part of a request (body, query or path) or throws a 400 that names every bad field. */
export function parse<S extends z.ZodType>(
  schema: S,
  value: unknown,
  part: 'body' | 'query' | 'path' = 'body',
): z.infer<S> {
  const result = schema.safeParse(value ?? (part === 'body' ? undefined : {}));
  if (result.success) return result.data;
  throw new ValidationError(result.error.issues.flatMap((issue) => toDetails(issue, part)));
}

function toDetails(issue: z.core.$ZodIssue, part: string): ErrorDetail[] {
  const base = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: base ? `${base}.${key}` : key, message: 'unknown field' }));
  }
  if (issue.code === 'invalid_type' && issue.path.length === 0) {
    return [{ path: part, message: part === 'body' ? 'request body must be a JSON object' : issue.message }];
  }
  return [{ path: base || part, message: issue.message }];
}
