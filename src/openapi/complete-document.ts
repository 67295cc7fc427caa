import type { OpenAPIObject } from '@nestjs/swagger';
import { IDEMPOTENCY_KEY_HEADER } from './api-errors.decorator';
import { ERROR_BODY_REF, ERROR_BODY_SCHEMA } from './error-body.schema';

/* The document as plain JSON: what this pass rewrites is looser than the generator's types. */
type Json = Record<string, any>;

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;
const IDEMPOTENCY_REF = '#/components/parameters/IdempotencyKey';
const RETRY_AFTER = { $ref: '#/components/headers/RetryAfter' };

/** Responses that any operation can give, whatever its controller declares. */
const EVERY_OPERATION: Record<string, string> = {
  400: 'VALIDATION_FAILED or MALFORMED_JSON: the request cannot be read',
  413: 'PAYLOAD_TOO_LARGE: the body is over 100 KB',
  500: 'INTERNAL_ERROR: unexpected; the body carries a correlationId, never a stack',
  503: 'SERVICE_UNAVAILABLE: the database is unreachable or too busy; retry after Retry-After seconds',
};
const WITH_BODY: Record<string, string> = { 415: 'UNSUPPORTED_MEDIA_TYPE: a body must be application/json' };
const BODY_METHODS = new Set(['post', 'put', 'patch']);

/**
 * Turns what @nestjs/swagger generates into the document the service honours: OpenAPI 3.1
 * (so `null` is a type: the generator's `nullable` beside `allOf` rejects a correct `null`),
 * the error envelope on every error status, closed objects, one Idempotency-Key parameter and an
 * explicit `security` on every operation. Facts true of every route live here, not on each one.
 */
export function completeDocument(generated: OpenAPIObject): OpenAPIObject {
  const doc = generated as Json;
  doc.openapi = '3.1.0';
  doc.info.license = { name: 'MIT', identifier: 'MIT' };
  doc.components ??= {};
  doc.components.schemas = { ErrorBody: ERROR_BODY_SCHEMA, ...doc.components.schemas };
  doc.components.headers = {
    RetryAfter: { description: 'Seconds to wait before retrying', schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 86400 } },
  };
  for (const schema of Object.values<Json>(doc.components.schemas)) toJsonSchema(schema);

  const idempotency: Json[] = [];
  for (const item of Object.values<Json>(doc.paths)) {
    for (const method of METHODS) {
      const operation = item[method] as Json | undefined;
      if (operation) completeOperation(operation, BODY_METHODS.has(method), idempotency);
    }
  }
  if (idempotency.length > 0) doc.components.parameters = { IdempotencyKey: idempotency[0] };
  return generated;
}

function completeOperation(operation: Json, takesBody: boolean, idempotency: Json[]): void {
  operation.parameters = completeParameters(operation.parameters ?? [], idempotency);
  if (operation.parameters.length === 0) delete operation.parameters;
  for (const media of Object.values<Json>(operation.requestBody?.content ?? {})) toJsonSchema(media.schema);
  operation.security ??= [];

  const responses: Json = (operation.responses ??= {});
  const baseline = { ...EVERY_OPERATION, ...(takesBody || operation.requestBody ? WITH_BODY : {}) };
  if (operation.security.some((s: Json) => Object.keys(s).length > 0) && !operation.security.some((s: Json) => Object.keys(s).length === 0)) {
    baseline[401] = 'UNAUTHORIZED: missing or bad credentials';
  }
  for (const [status, description] of Object.entries(baseline)) responses[status] ??= { description };
  if (!responses[503].description.includes('SERVICE_UNAVAILABLE')) responses[503].description += `\n\n${EVERY_OPERATION[503]}`;
  for (const [status, response] of Object.entries<Json>(responses)) {
    if (Number(status) >= 400) {
      response.content = { 'application/json': { schema: { $ref: ERROR_BODY_REF } } };
      if (status === '429' || status === '503') response.headers = { 'Retry-After': RETRY_AFTER, ...response.headers };
    }
    for (const media of Object.values<Json>(response.content ?? {})) toJsonSchema(media.schema);
  }
}

/**
 * `@Headers('idempotency-key')` makes the generator add a second, required header beside the
 * documented one: keep one per name (headers are case-insensitive), the documented one.
 */
function completeParameters(parameters: Json[], idempotency: Json[]): Json[] {
  const byName = new Map<string, Json>();
  for (const parameter of parameters) {
    const key = `${parameter.in}:${parameter.in === 'header' ? String(parameter.name).toLowerCase() : parameter.name}`;
    const seen = byName.get(key);
    if (!seen || (!seen.description && parameter.description)) byName.set(key, parameter);
  }
  return [...byName.values()].map((parameter) => {
    toJsonSchema(parameter.schema);
    if (parameter.in !== 'header' || parameter.name !== IDEMPOTENCY_KEY_HEADER) return parameter;
    idempotency.push(parameter);
    return { $ref: IDEMPOTENCY_REF };
  });
}

/** OpenAPI 3.0 `nullable` to JSON Schema 2020-12 (OpenAPI 3.1), and objects closed to unknown fields. */
function toJsonSchema(schema: Json | undefined): void {
  if (!schema || typeof schema !== 'object') return;
  for (const key of ['items', 'not', 'additionalProperties']) toJsonSchema(schema[key]);
  for (const key of ['allOf', 'oneOf', 'anyOf']) (schema[key] as Json[] | undefined)?.forEach(toJsonSchema);
  for (const property of Object.values<Json>(schema.properties ?? {})) toJsonSchema(property);
  if (schema.properties && schema.additionalProperties === undefined) schema.additionalProperties = false;
  addImpliedLimits(schema);
  if (schema.nullable !== true) return;
  delete schema.nullable;
  if (schema.allOf?.length === 1 && !schema.properties) {
    schema.oneOf = [schema.allOf[0], { type: 'null' }];
    delete schema.allOf;
    delete schema.type;
  } else if (schema.$ref) {
    schema.oneOf = [{ $ref: schema.$ref }, { type: 'null' }];
    delete schema.$ref;
  } else if (typeof schema.type === 'string') {
    schema.type = [schema.type, 'null'];
    if (Array.isArray(schema.enum)) schema.enum = [...schema.enum, null];
  }
}

const INT32 = 2 ** 31 - 1;
/** Lengths a format fixes: a UUID, and an ISO-8601 date-time as toISOString writes it (inputs are capped at 40). */
const FORMAT_LENGTHS: Record<string, number> = { uuid: 36, 'date-time': 40, date: 10, email: 255 };

/** Limits that follow from what a schema already says, so clients need not guess them. */
function addImpliedLimits(schema: Json): void {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('integer') && !schema.format) {
    const bounded = Array.isArray(schema.enum) || (Math.abs(schema.minimum ?? -Infinity) <= INT32 && Math.abs(schema.maximum ?? Infinity) <= INT32);
    schema.format = bounded ? 'int32' : 'int64';
  }
  // JSON numbers beyond these lose precision in JavaScript clients, this service's included.
  if (types.includes('integer')) {
    const values = Array.isArray(schema.enum) ? (schema.enum as unknown[]).filter((v): v is number => typeof v === 'number') : [];
    schema.minimum ??= values.length > 0 ? Math.min(...values) : -Number.MAX_SAFE_INTEGER;
    schema.maximum ??= values.length > 0 ? Math.max(...values) : Number.MAX_SAFE_INTEGER;
  }
  if (types.includes('string') && schema.maxLength === undefined && FORMAT_LENGTHS[schema.format] !== undefined) {
    schema.maxLength = FORMAT_LENGTHS[schema.format];
  }
}
