import { Controller, Get, Module, RequestMethod, Type } from '@nestjs/common';
import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JwtAuthGuard, OptionalJwtAuthGuard } from '../src/auth/core/guards/jwt-auth.guard';
import { LevelDto } from '../src/levels/dto/level.dto';
import { MetricsTokenGuard } from '../src/metrics/metrics-token.guard';
import { WebhookSignatureGuard } from '../src/purchases/webhook-signature.guard';
import { createTestApp, TestApp } from './utils/test-app';
import { createTestUser } from './utils/test-users';

/** Answers what its documentation says it does not: the validator must catch it. */
@Controller('openapi-probe')
class MisdocumentedController {
  @Get('level')
  @ApiOperation({ summary: 'Documented as a level, answers a string where an integer belongs' })
  @ApiOkResponse({ type: LevelDto, description: 'A level' })
  level() {
    return { level: 'one', name: 'Bronze', minPoints: 0, perks: [] };
  }
}

@Module({ controllers: [MisdocumentedController] })
class MisdocumentedModule {}

const HTTP_METHODS: Record<number, string> = {
  [RequestMethod.GET]: 'get',
  [RequestMethod.POST]: 'post',
  [RequestMethod.PUT]: 'put',
  [RequestMethod.DELETE]: 'delete',
  [RequestMethod.PATCH]: 'patch',
};

interface NestRoute {
  method: string;
  template: string;
  guards: unknown[];
}

/** Every handler of every controller in the app, with the guards on it or its class. */
function nestRoutes(t: TestApp): NestRoute[] {
  const routes: NestRoute[] = [];
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type;
      const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      const classGuards: unknown[] = Reflect.getMetadata(GUARDS_METADATA, controller) ?? [];
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = controller.prototype[name];
        const path: unknown = typeof handler === 'function' ? Reflect.getMetadata(PATH_METADATA, handler) : undefined;
        if (path === undefined || name === 'constructor') continue;
        for (const one of Array.isArray(path) ? path : [path]) {
          const joined = `/${[base, String(one)].map((p) => p.replace(/^\/|\/$/g, '')).filter(Boolean).join('/')}`;
          routes.push({
            method: HTTP_METHODS[Reflect.getMetadata(METHOD_METADATA, handler) as number],
            template: joined.replace(/:(\w+)/g, '{$1}'),
            guards: [...classGuards, ...(Reflect.getMetadata(GUARDS_METADATA, handler) ?? [])],
          });
        }
      }
    }
  }
  return routes;
}

/** What Express itself routes (Nest's handlers and anything mounted beside them), less the Swagger UI. */
function expressRoutes(t: TestApp): Array<{ method: string; template: string }> {
  const express = t.app.getHttpAdapter().getInstance() as { router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> } };
  return express.router.stack
    .filter((layer) => layer.route && !/^\/docs/.test(layer.route.path))
    .flatMap((layer) =>
      Object.keys(layer.route!.methods).map((method) => ({ method, template: layer.route!.path.replace(/:(\w+)/g, '{$1}') })),
    );
}

describe('the served OpenAPI document', () => {
  let t: TestApp;
  let doc: Record<string, any>;
  beforeAll(async () => {
    t = await createTestApp({ imports: [MisdocumentedModule] });
    doc = t.openapi.document;
  });
  afterAll(() => t.close());

  describe('coverage', () => {
    it('documents every route the app registers, with a summary', () => {
      expect(expressRoutes(t).length).toBeGreaterThan(20);
      const routes = [...nestRoutes(t), ...expressRoutes(t)];
      const missing = routes.filter((r) => !doc.paths[r.template]?.[r.method]?.summary).map((r) => `${r.method.toUpperCase()} ${r.template}`);
      expect(missing).toEqual([]);
      for (const path of ['/api/auth/google', '/api/auth/google/callback', '/r/{code}', '/health']) expect(doc.paths[path]?.get).toBeDefined();
    });

    it('documents the authentication each route enforces', () => {
      const security = (r: NestRoute) => JSON.stringify(doc.paths[r.template][r.method].security);
      for (const route of nestRoutes(t)) {
        const label = `${route.method.toUpperCase()} ${route.template}`;
        if (route.guards.includes(JwtAuthGuard)) expect(security(route), label).toBe('[{"bearer":[]}]');
        else if (route.guards.includes(OptionalJwtAuthGuard)) expect(security(route), label).toBe('[{},{"bearer":[]}]');
        else if (route.guards.includes(WebhookSignatureGuard)) expect(security(route), label).toBe('[{"webhookSignature":[]}]');
        else if (route.guards.includes(MetricsTokenGuard)) expect(security(route), label).toBe('[{},{"metricsToken":[]}]');
        else expect(security(route), label).toBe('[]');
      }
    });
  });

  describe('shape', () => {
    it('is OpenAPI 3.1 with null as a type, never the 3.0 nullable', () => {
      expect(doc.openapi).toBe('3.1.0');
      expect(JSON.stringify(doc)).not.toContain('"nullable"');
      expect(doc.components.schemas.MyPointsDto.properties.nextLevel.oneOf).toContainEqual({ type: 'null' });
    });

    it('gives every error status the error envelope', () => {
      for (const [path, item] of Object.entries<any>(doc.paths)) {
        for (const [method, operation] of Object.entries<any>(item)) {
          const errors = Object.entries<any>(operation.responses).filter(([status]) => Number(status) >= 400);
          expect(errors.map(([s]) => s), `${method} ${path}`).toEqual(expect.arrayContaining(['500', '503']));
          for (const [status, response] of errors) {
            expect(response.content, `${method} ${path} ${status}`).toEqual({ 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } });
          }
        }
      }
    });

    it('closes request bodies to unknown fields and types counts as integers', () => {
      for (const item of Object.values<any>(doc.paths)) {
        for (const operation of Object.values<any>(item)) {
          const ref: string | undefined = operation.requestBody?.content['application/json']?.schema?.$ref;
          if (ref) expect(doc.components.schemas[ref.split('/').pop()!].additionalProperties, ref).toBe(false);
        }
      }
      const numbers = JSON.stringify(doc.components.schemas).match(/"type":"number"/g) ?? [];
      // The only decimals: the funnel's conversion rate and the reward rules' percentages (2 decimals).
      expect(numbers).toHaveLength(7);
      expect(doc.components.schemas.AnalyticsDto.properties.conversionRate.type).toBe('number');
      expect(doc.components.schemas.RewardRulesDraftDto.additionalProperties).toBe(false);
      for (const schema of ['CreateRewardRulesDto', 'RewardRulesVersionDto', 'RewardRulesDraftDto']) {
        for (const field of ['commissionPercent', 'secondLevelPercent']) expect(doc.components.schemas[schema].properties[field].type, `${schema}.${field}`).toBe('number');
      }
    });

    it('declares Idempotency-Key once, optional, and X-Signature as a security scheme', () => {
      expect(doc.components.parameters.IdempotencyKey).toMatchObject({ name: 'Idempotency-Key', in: 'header', required: false });
      const text = JSON.stringify(doc.paths);
      expect(text.toLowerCase()).not.toContain('"name":"idempotency-key"');
      expect(text).not.toContain('"name":"X-Signature"');
      expect(doc.paths['/api/points/redeem'].post.parameters).toEqual([{ $ref: '#/components/parameters/IdempotencyKey' }]);
      expect(doc.components.securitySchemes.webhookSignature).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-Signature' });
    });
  });

  describe('response validation', () => {
    const leaderboardRow = { rank: 1, userId: '6f1c8a7e-2b0d-4c3e-9a51-0d2f4b6c8e10', name: 'Ann', totalReferrals: 1, convertedReferrals: 0, totalEarned: 0 };
    const check = (url: string, status: number, body: unknown, method = 'GET') =>
      t.openapi.check({ method, url, status, headers: { 'content-type': 'application/json; charset=utf-8' }, body });

    it('accepts what the document describes, the null of `me` included', async () => {
      expect(check('/api/points/leaderboard?limit=5', 200, { items: [leaderboardRow], me: null })).toEqual([]);
      expect(check('/api/points/leaderboard', 200, { items: [], me: leaderboardRow })).toEqual([]);
      expect(check('/api/auth/me', 401, { statusCode: 401, code: 'UNAUTHORIZED', message: 'A valid access token is required' })).toEqual([]);
      const user = await createTestUser(t.app);
      await t.http.get('/api/points/my-points').set('Authorization', `Bearer ${user.token}`).expect(200);
      await t.http.get('/api/points/leaderboard').expect(200);
    });

    it.each([
      ['a wrong type', '/api/points/leaderboard', 200, { items: [], me: 'nobody' }, /body\/me/],
      ['a missing field', '/api/points/leaderboard', 200, { items: [] }, /must have required property 'me'/],
      ['an undocumented field', '/api/points/leaderboard', 200, { items: [], me: null, extra: 1 }, /must NOT have additional properties/],
      ['a fraction where points are integers', '/api/points/leaderboard', 200, { items: [{ ...leaderboardRow, totalEarned: 1.5 }], me: null }, /must be integer/],
      ['an error without the envelope', '/api/auth/me', 401, { error: 'Unauthorized' }, /required property 'code'/],
      ['an undocumented status', '/api/points/leaderboard', 418, {}, /status 418 is not documented/],
      ['an undocumented route', '/api/nowhere', 200, {}, /no operation/],
    ])('rejects %s', (_label, url, status, body, problem) => {
      expect(check(url, status, body).join('\n')).toMatch(problem);
    });

    it('fails a request whose real response contradicts the document', async () => {
      await expect(t.http.get('/openapi-probe/level')).rejects.toThrow(/does not match the OpenAPI document[\s\S]*body\/level must be integer/);
    });
  });
});
