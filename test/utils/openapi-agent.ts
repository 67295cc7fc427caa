import type { Server } from 'node:http';
import request, { Test } from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { OpenApiValidator } from './openapi-validator';

const VERBS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'head', 'options']);

/** supertest over the server, every response checked against the document the server serves (read once). */
export async function openApiAgent(server: Server): Promise<{ http: TestAgent; openapi: OpenApiValidator }> {
  const plain = request(server);
  const served = await plain.get('/docs-json').expect(200);
  const openapi = new OpenApiValidator(served.body);
  return { http: validating(plain, openapi), openapi };
}

/** Each request made through the agent gets one more assertion, run after the test's own. */
export function validating(agent: TestAgent, openapi: OpenApiValidator): TestAgent {
  return new Proxy(agent, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || !VERBS.has(property) || typeof value !== 'function') return value;
      return (url: string) => checked(value.call(target, url) as Test, openapi);
    },
  });
}

function checked(test: Test, openapi: OpenApiValidator): Test {
  const end = test.end.bind(test);
  test.end = (callback) => {
    test.expect((res) => openapi.assert({ method: test.method, url: test.url, status: res.status, headers: res.headers, body: res.body }));
    return end(callback);
  };
  return test;
}
