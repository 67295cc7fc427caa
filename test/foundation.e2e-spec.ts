import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TestApp } from './utils/test-app';

describe('foundation over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
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
});
