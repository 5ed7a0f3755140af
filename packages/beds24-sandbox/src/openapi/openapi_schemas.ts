import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { SandboxError } from '../sandbox_errors.ts';
import { allowUpdatesWithoutCreateFields, applyDocumentedNulls } from './spec_clarifications.ts';

export interface SchemaError {
  /** Dotted location inside the validated value ('' for the value itself), e.g. `0.firstName`. */
  path: string;
  message: string;
  /** The JSON Schema keyword that failed (`required`, `maxLength`, `format`...), so callers can filter. */
  keyword: string;
}

export type SchemaValidation = { ok: true } | { ok: false; errors: SchemaError[] };

export class OpenApiLookupError extends SandboxError {
  constructor(message: string) {
    super('openapi_lookup_failed', 500, message);
  }
}

const SPEC_ID = 'beds24-api-v2';
const SPEC_URL = new URL('./apiV2.yaml', import.meta.url);

interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, unknown> };
}

let loaded: { ajv: Ajv; doc: OpenApiDocument } | undefined;
const validators = new Map<string, ValidateFunction>();

function spec(): { ajv: Ajv; doc: OpenApiDocument } {
  if (loaded !== undefined) return loaded;
  const doc = parse(readFileSync(SPEC_URL, 'utf8')) as OpenApiDocument;
  applyDocumentedNulls(doc);
  allowUpdatesWithoutCreateFields(doc);
  // strict: false because OpenAPI 3.0 schemas carry keywords JSON Schema does not know (example, description
  // on $ref siblings...); `nullable` itself is understood by Ajv 8 natively.
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  addFormatsModule.default(ajv);
  // The whole document is registered once so every `#/components/...` reference resolves against it.
  ajv.addSchema(doc as object, SPEC_ID);
  loaded = { ajv, doc };
  return loaded;
}

function validatorAt(pointer: string): ValidateFunction {
  const cached = validators.get(pointer);
  if (cached !== undefined) return cached;
  const validate = spec().ajv.getSchema(`${SPEC_ID}#${pointer}`);
  if (validate === undefined) throw new OpenApiLookupError(`no schema at ${pointer} in apiV2.yaml`);
  validators.set(pointer, validate);
  return validate;
}

function run(validate: ValidateFunction, value: unknown): SchemaValidation {
  if (validate(value)) return { ok: true };
  // An `if` error only repeats that its `then`/`else` branch failed; that branch's own errors say why.
  return { ok: false, errors: (validate.errors ?? []).filter((e) => e.keyword !== 'if').map(toSchemaError) };
}

function toSchemaError(error: ErrorObject): SchemaError {
  const segments = error.instancePath.split('/').slice(1).map(unescapePointer);
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required' && typeof params.missingProperty === 'string') segments.push(params.missingProperty);
  const message =
    error.keyword === 'enum' && Array.isArray(params.allowedValues)
      ? `${error.message ?? 'invalid value'}: ${params.allowedValues.join(', ')}`
      : (error.message ?? 'invalid value');
  return { path: segments.join('.'), message, keyword: error.keyword };
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Accepts '/bookings', '/v2/bookings' or a full request path with a query string. */
function specPath(path: string): string {
  const withoutQuery = path.split('?')[0] ?? path;
  return withoutQuery.startsWith('/v2/') ? withoutQuery.slice(3) : withoutQuery;
}

function requestBodyPointer(method: string, path: string): string {
  const operationPath = specPath(path);
  const operation = spec().doc.paths[operationPath]?.[method.toLowerCase()];
  if (operation === undefined)
    throw new OpenApiLookupError(`apiV2.yaml has no operation ${method.toUpperCase()} ${operationPath}`);
  const content = (operation as { requestBody?: { content?: Record<string, unknown> } }).requestBody?.content;
  if (content?.['application/json'] === undefined) {
    throw new OpenApiLookupError(`${method.toUpperCase()} ${operationPath} has no JSON request body in apiV2.yaml`);
  }
  return `/paths/${escapePointer(operationPath)}/${method.toLowerCase()}/requestBody/content/application~1json/schema`;
}

/** Validates a value against `#/components/schemas/<componentName>` of the official spec. */
export function validateSchema(componentName: string, value: unknown): SchemaValidation {
  if (spec().doc.components.schemas[componentName] === undefined) {
    throw new OpenApiLookupError(`apiV2.yaml has no component schema ${componentName}`);
  }
  return run(validatorAt(`/components/schemas/${escapePointer(componentName)}`), value);
}

/** Validates a whole JSON request body of an operation, e.g. `('POST', '/bookings', [...])`. */
export function validateRequestBody(method: string, path: string, value: unknown): SchemaValidation {
  return run(validatorAt(requestBodyPointer(method, path)), value);
}

/**
 * Validates one element of an operation whose body is an array: Beds24 answers per item, so a server
 * (the sandbox) needs each item's verdict on its own.
 */
export function validateRequestBodyItem(method: string, path: string, item: unknown): SchemaValidation {
  return run(validatorAt(`${requestBodyPointer(method, path)}/items`), item);
}

/** Top-level property names an array body's items may carry, following `allOf` and `$ref`. */
export function requestBodyItemProperties(method: string, path: string): Set<string> {
  const pointer = `${requestBodyPointer(method, path)}/items`;
  const names = new Set<string>();
  collectProperties(resolvePointer(pointer), names, new Set());
  return names;
}

function resolvePointer(pointer: string): unknown {
  let node: unknown = spec().doc;
  for (const raw of pointer.split('/').slice(1)) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[unescapePointer(raw)];
  }
  return node;
}

function collectProperties(schema: unknown, into: Set<string>, seen: Set<unknown>): void {
  if (typeof schema !== 'object' || schema === null || seen.has(schema)) return;
  seen.add(schema);
  const node = schema as {
    $ref?: unknown;
    properties?: Record<string, unknown>;
    allOf?: unknown[];
    then?: unknown;
    else?: unknown;
  };
  if (typeof node.$ref === 'string' && node.$ref.startsWith('#'))
    collectProperties(resolvePointer(node.$ref.slice(1)), into, seen);
  for (const name of Object.keys(node.properties ?? {})) into.add(name);
  for (const part of [...(node.allOf ?? []), node.then, node.else]) collectProperties(part, into, seen);
}
