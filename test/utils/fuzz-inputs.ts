import fc from 'fast-check';
import { randomUUID } from 'node:crypto';

/** Values a careless or hostile client sends: each one once made some endpoint answer 500. */
const NASTY_STRINGS = [
  '', ' ', '\t\n', '\u0000', 'a\u0000b', '\ud800', 'x\udc00', '\ud83d\ude00', 'İ'.repeat(200), 'ß'.repeat(300), 'x'.repeat(256), 'x'.repeat(5_000),
  '2026-02-30T00:00:00Z', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '2026-01-01', '2026-01-01T00:00:00', '2026-W05', 'yesterday',
  "' OR 1=1 --", '%00', '../../etc/passwd', '<script>', 'NaN', '-1', '1e309', '0x10', 'null', 'true', 'USD', 'ZZZ', 'usd',
  'service-credit', 'discount-code', 'flagged', 'earn', '2', 'a@example.com', 'ADMIN@EXAMPLE.COM', '123456', '7K3QXW9M',
];

const NASTY_NUMBERS = [0, -0, 1, -1, 1.5, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, -1e308, 1_000_000_001, -1_000_000_001];

const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty'];

export const fuzzString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...NASTY_STRINGS),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.uuid().map(String),
  fc.date({ min: new Date(-62135596800000), max: new Date(253402300799999), noInvalidDate: true }).map((d) => d.toISOString()),
);

const leaf: fc.Arbitrary<unknown> = fc.oneof(
  fuzzString,
  fc.constantFrom(...NASTY_NUMBERS),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);

/** Any JSON value, shallow or nested, with field names that include Object.prototype members. */
export const fuzzValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), fc.string({ maxLength: 8 })), tie('value'), { maxKeys: 3 }),
  ),
})).value;

export interface SchemaLike {
  type?: string;
  enum?: unknown[];
  format?: string;
  properties?: Record<string, SchemaLike>;
  items?: SchemaLike;
  $ref?: string;
  allOf?: SchemaLike[];
}

/** A plausible value for a schema (so that fuzzing reaches past the first validator), or anything at all. */
export function valueFor(schema: SchemaLike | undefined): fc.Arbitrary<unknown> {
  const plausible: fc.Arbitrary<unknown>[] = [];
  if (schema?.enum) plausible.push(fc.constantFrom(...schema.enum));
  if (schema?.format === 'uuid') plausible.push(fc.uuid().map(String));
  if (schema?.format === 'date-time') plausible.push(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()));
  if (schema?.type === 'integer' || schema?.type === 'number') plausible.push(fc.integer({ min: -1_000, max: 100_000 }));
  if (schema?.type === 'string') plausible.push(fc.string({ minLength: 1, maxLength: 12 }));
  if (schema?.type === 'boolean') plausible.push(fc.boolean());
  return plausible.length > 0 ? fc.oneof(fc.oneof(...plausible), fuzzValue) : fuzzValue;
}

/** An object with some of the schema's fields (plausible or hostile values) and now and then an unknown one. */
export function bodyFor(schema: SchemaLike | undefined): fc.Arbitrary<unknown> {
  const fields = Object.entries(schema?.properties ?? {});
  const known = fc.record(Object.fromEntries(fields.map(([name, s]) => [name, valueFor(s)])), { requiredKeys: [] });
  const extra = fc.option(fc.tuple(fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), fc.string({ maxLength: 8 })), fuzzValue), { freq: 4 });
  const object = fc.tuple(known, extra).map(([body, more]) => (more ? { ...body, [more[0]]: more[1] } : body));
  return fc.oneof({ weight: 4, arbitrary: object }, { weight: 1, arbitrary: fuzzValue });
}

/** Raw body texts that are not what JSON.stringify makes: broken, deep, or huge. */
export const rawBody: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('{"a":', 'not json', '[]', '""', '42', 'null', '{"a":1,"a":2}', '{"\\u0000":1}', '{"x":"\\ud800"}'),
  fc.integer({ min: 10, max: 3_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  fc.integer({ min: 10, max: 3_000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
  fc.string({ unit: 'binary', maxLength: 60 }),
);

/** A cursor as the lists encode it, around impossible times. */
export const fuzzCursor: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('2026-02-30T00:00:00.000000Z', '0000-01-01T00:00:00.000000Z', '2026-11-21T22:10:00.123456Z', '9999-12-31T23:59:59.999999Z'), fc.oneof(fc.constant(randomUUID()), fuzzString))
  .map(([at, id]) => Buffer.from(`${at}|${id}`).toString('base64url'));

export const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/merge-patch+json',
  '',
];
