import { Body, Controller, Module, Post } from '@nestjs/common';
import { IsInt, IsString, MaxLength } from 'class-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TestApp } from './utils/test-app';

class ProbeDto {
  @IsString()
  @MaxLength(100)
  name: string;

  @IsInt()
  amount: number;
}

@Controller('probe')
class ProbeController {
  @Post()
  echo(@Body() body: ProbeDto) {
    return body;
  }

  @Post('boom')
  boom(): never {
    throw new Error('secret internal detail');
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

describe('foundation over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ imports: [ProbeModule] });
  });
  afterAll(() => t.close());

  describe('GET /health', () => {
    it('answers 200 with the database up', async () => {
      const res = await t.http.get('/health').expect(200);
      expect(res.body).toEqual({ status: 'ok', database: 'up' });
    });

    it('tags each response with a request id, echoing a valid one', async () => {
      const res = await t.http.get('/health').set('X-Request-Id', 'abc-123');
      expect(res.headers['x-request-id']).toBe('abc-123');
      const other = await t.http.get('/health').set('X-Request-Id', 'bad id with spaces');
      expect(other.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('GET /api/points/levels', () => {
    it('serves the seeded tiers ascending, the first at 0 points', async () => {
      const res = await t.http.get('/api/points/levels').expect(200);
      expect(res.body.length).toBeGreaterThanOrEqual(4);
      expect(res.body[0]).toMatchObject({ level: 1, minPoints: 0 });
      const mins = res.body.map((l: { minPoints: number }) => l.minPoints);
      expect(mins).toEqual([...mins].sort((a, b) => a - b));
      for (const tier of res.body) expect(Object.keys(tier).sort()).toEqual(['level', 'minPoints', 'name', 'perks']);
    });
  });

  describe('OpenAPI', () => {
    it('serves /docs-json describing the API and /docs as a page', async () => {
      const json = await t.http.get('/docs-json').expect(200);
      expect(json.body.openapi).toMatch(/^3\./);
      expect(Object.keys(json.body.paths)).toContain('/api/points/levels');
      const html = await t.http.get('/docs').expect(200);
      expect(html.text).toContain('swagger');
    });
  });

  describe('errors in the shape of API.md', () => {
    it('answers malformed JSON with 400 MALFORMED_JSON', async () => {
      const res = await t.http.post('/api/points/levels').set('Content-Type', 'application/json').send('{"a":');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'MALFORMED_JSON' });
      expect(JSON.stringify(res.body)).not.toMatch(/at .*\.js/);
    });

    it('answers unknown fields with 400 VALIDATION_FAILED and the field messages', async () => {
      const res = await t.http.post('/probe').send({ name: 'a', amount: 1, admin: true }).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.statusCode).toBe(400);
      expect(res.body.message).toEqual(expect.arrayContaining([expect.stringContaining('admin')]));
    });

    it.each([
      ['a wrong type', { name: 'a', amount: '1' }],
      ['a missing field', { name: 'a' }],
      ['a too long string', { name: 'x'.repeat(101), amount: 1 }],
      ['an array body', [1, 2]],
    ])('answers %s with 400 VALIDATION_FAILED', async (_label, body) => {
      const res = await t.http.post('/probe').set('Content-Type', 'application/json').send(JSON.stringify(body));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });

    it.each([null, '"text"', 42])('answers a %j body (not an object) with 400', async (body) => {
      const res = await t.http.post('/probe').set('Content-Type', 'application/json').send(JSON.stringify(body));
      expect(res.status).toBe(400);
      expect(['MALFORMED_JSON', 'VALIDATION_FAILED']).toContain(res.body.code);
    });

    it('answers an unexpected error with a generic 500 and a correlation id, never the cause', async () => {
      const res = await t.http.post('/probe/boom').send({}).expect(500);
      expect(res.body).toMatchObject({ statusCode: 500, code: 'INTERNAL_ERROR', message: 'Internal server error' });
      expect(res.body.correlationId).toBe(res.headers['x-request-id']);
      expect(JSON.stringify(res.body)).not.toContain('secret internal detail');
    });

    it('answers an unknown route with 404 NOT_FOUND', async () => {
      const res = await t.http.get('/api/nope').expect(404);
      expect(res.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    });

    it('answers an oversized body with 413', async () => {
      const res = await t.http
        .post('/health')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ big: 'x'.repeat(200_000) }));
      expect(res.status).toBe(413);
      expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
    });
  });

  describe('web app pages', () => {
    it.each(['/auth/jwt/sign-up', '/auth/jwt/sign-in', '/dashboard/account/points', '/dashboard/admin'])('serves %s as the app page', async (path) => {
      const res = await t.http.get(path).expect(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.text).toContain('<div id="app"></div>');
      expect(res.text).toContain('<meta name="google-sign-in" content="off" />');
    });

    it('does not fall back to the app for other paths', async () => {
      const res = await t.http.get('/dashboard/anything-else').expect(404);
      expect(res.body.code).toBe('NOT_FOUND');
    });

    it('serves the built assets, long-cached, and nothing else from the assets path', async () => {
      const html = (await t.http.get('/auth/jwt/sign-in')).text;
      const script = /src="(\/dashboard\/assets\/[\w.-]+\.js)"/.exec(html)![1];
      const res = await t.http.get(script).expect(200);
      expect(res.headers['content-type']).toContain('javascript');
      expect(res.headers['cache-control']).toContain('immutable');
      const bad = await t.http.get('/dashboard/assets/..%2F..%2Fmain.ts').expect(404);
      expect(bad.body.code).toBe('NOT_FOUND');
    });
  });
});
