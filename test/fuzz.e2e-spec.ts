import { JwtService } from '@nestjs/jwt';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_TYPES, bodyFor, fuzzCursor, fuzzString, fuzzValue, rawBody, SchemaLike, valueFor } from './utils/fuzz-inputs';
import { sign } from './utils/purchase-webhooks';
import { createTestApp, TestApp } from './utils/test-app';
import { createTestUser, TestUser } from './utils/test-users';

interface Operation {
  method: string;
  path: string;
  query: Record<string, SchemaLike>;
  body?: SchemaLike;
}

interface OpenApi {
  paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string; schema?: SchemaLike }>; requestBody?: any }>>;
  components?: { schemas?: Record<string, SchemaLike> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const RUNS = Number(process.env.FUZZ_RUNS ?? 30);
const MS_PER_OPERATION = Number(process.env.FUZZ_MS_PER_OPERATION ?? 800);
const STACK = /\n\s+at |\bat .+\(.+:\d+:\d+\)|\.(?:ts|js):\d+:\d+/;

function resolve(doc: OpenApi, schema: SchemaLike | undefined): SchemaLike | undefined {
  const ref = schema?.$ref ?? schema?.allOf?.[0]?.$ref;
  return ref ? doc.components?.schemas?.[ref.split('/').pop()!] : schema;
}

/** Every operation the served OpenAPI describes, plus any route Express knows that it leaves out. */
function operations(doc: OpenApi, routes: Array<{ method: string; path: string }>): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS.filter((m) => item[m])) {
      const op = item[method];
      const query = Object.fromEntries((op.parameters ?? []).filter((p) => p.in === 'query').map((p) => [p.name, p.schema ?? {}]));
      const body = resolve(doc, op.requestBody?.content?.['application/json']?.schema);
      ops.push({ method, path: path.replace(/\{(\w+)\}/g, ':$1'), query, body });
    }
  }
  for (const route of routes) {
    if (!ops.some((o) => o.method === route.method && o.path === route.path)) ops.push({ method: route.method, path: route.path, query: {} });
  }
  return ops;
}

function expressRoutes(t: TestApp): Array<{ method: string; path: string }> {
  const express = t.app.getHttpAdapter().getInstance() as { router?: { stack: any[] }; _router?: { stack: any[] } };
  const stack = (express.router ?? express._router)?.stack ?? [];
  return stack
    .filter((layer) => layer.route && typeof layer.route.path === 'string')
    .flatMap((layer) => Object.keys(layer.route.methods).filter((m) => METHODS.includes(m)).map((method) => ({ method, path: layer.route.path as string })));
}

/** Percent-encoding that survives lone surrogates (sent as the bytes of an invalid UTF-8 sequence). */
function encode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80';
  }
}

/** Node refuses to send a header with control or non-Latin-1 characters, so those are percent-encoded. */
const headerValue = (value: string) => (/^[\t\x20-\x7e\x80-\xff]*$/.test(value) ? value : encode(value));

describe('fuzzing every operation', () => {
  let t: TestApp;
  let user: TestUser;
  let admin: TestUser;
  let tokens: Record<string, string | undefined>;

  beforeAll(async () => {
    process.env.RATE_LIMIT_SCALE = '1000';
    process.env.TRUST_PROXY = 'true';
    t = await createTestApp();
    user = await createTestUser(t.app, { referralCode: 'FUZZ2345' });
    admin = await createTestUser(t.app, { role: 'admin' });
    const jwt = t.app.get(JwtService);
    tokens = {
      none: undefined,
      user: user.token,
      admin: admin.token,
      garbage: 'not.a.token',
      badSubject: jwt.sign({ sub: 'not-a-uuid', role: 'admin' }),
    };
  });
  afterAll(() => t.close());

  it('never answers 5xx or shows a stack, whatever the body, query, headers, content type or path', async () => {
    const doc = (await t.http.get('/docs-json').expect(200)).body as OpenApi;
    const ops = operations(doc, expressRoutes(t));
    expect(ops.length).toBeGreaterThanOrEqual(15);
    const failures: string[] = [];
    let requests = 0;

    for (const op of ops) {
      const names = [...op.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
      const request = fc.record({
        params: fc.tuple(...names.map(() => fc.oneof(fc.uuid().map(String), fuzzString, fc.constant(user.id)))),
        query: fc.record(
          {
            ...Object.fromEntries(Object.entries(op.query).map(([name, s]) => [name, name === 'cursor' ? fc.oneof(fuzzCursor, fuzzString) : valueFor(s)])),
            extra: fc.option(fc.tuple(fc.oneof(fc.constantFrom('toString', '__proto__', 'limit[]'), fc.string({ maxLength: 6 })), fuzzString)),
          },
          { requiredKeys: [] },
        ),
        auth: fc.constantFrom(...Object.keys(tokens)),
        headers: fc.record(
          { 'Idempotency-Key': fuzzString, 'X-Device-Id': fuzzString, 'X-Forwarded-For': fuzzString, 'X-Request-Id': fuzzString },
          { requiredKeys: [] },
        ),
        signature: fc.constantFrom('valid', 'valid', 'none', 'garbage'),
        contentType: fc.oneof({ weight: 3, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: fc.constantFrom(...CONTENT_TYPES) }),
        body: fc.oneof(
          { weight: 4, arbitrary: bodyFor(op.body).map((v) => JSON.stringify(v) as string | undefined) },
          { weight: 1, arbitrary: rawBody },
          { weight: 1, arbitrary: fc.constant(undefined) },
          { weight: 1, arbitrary: fuzzValue.map((v) => JSON.stringify(v) as string | undefined) },
        ),
      });

      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          let url = op.path;
          names.forEach((name, i) => (url = url.replace(`:${name}`, encode(String(r.params[i])))));
          const query = Object.entries(r.query).flatMap(([name, value]) => {
            if (name !== 'extra') return [`${name}=${encode(typeof value === 'string' ? value : JSON.stringify(value))}`];
            const pair = value as [string, string] | null;
            return pair ? [`${encode(pair[0])}=${encode(pair[1])}`] : [];
          });
          if (query.length > 0) url += `?${query.join('&')}`;

          let req = (t.http as any)[op.method](url);
          const token = tokens[r.auth];
          if (token) req = req.set('Authorization', `Bearer ${token}`);
          for (const [name, value] of Object.entries(r.headers)) req = req.set(name, headerValue(value as string));
          if (r.body !== undefined) {
            if (r.signature !== 'none') req = req.set('X-Signature', r.signature === 'valid' ? sign(r.body) : 'sha256=00');
            req = r.contentType ? req.set('Content-Type', r.contentType) : req;
            req = req.send(Buffer.from(r.body));
          }
          const res = await req;
          requests++;
          const text = res.text ?? '';
          const label = `${op.method.toUpperCase()} ${url} (${r.auth}, ${r.contentType}, body ${String(r.body).slice(0, 120)}) → ${res.status} ${text.slice(0, 200)}`;
          const json = res.headers['content-type']?.includes('json');
          const problem =
            res.status >= 500 ? '5xx'
            : res.status >= 400 && json && typeof res.body?.code !== 'string' ? 'no error code'
            : STACK.test(text) && !res.headers['content-type']?.includes('javascript') ? 'a stack trace' : undefined;
          if (problem) failures.push(`${problem}: ${label}`);
          return problem === undefined;
        }),
        { numRuns: RUNS, interruptAfterTimeLimit: MS_PER_OPERATION, markInterruptAsFailure: false, endOnFailure: true },
      ).catch(() => undefined);
    }
    process.stdout.write(`[fuzz] ${ops.length} operations, ${requests} requests\n`);
    expect(failures).toEqual([]);
  });
});
