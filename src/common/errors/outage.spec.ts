import { QueryFailedError, QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { isDatabaseOutage, outageResponse } from './outage';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isDatabaseOutage', () => {
  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['an administrator shutdown (57P01)', pgError('57P01', 'terminating connection due to administrator command')],
    ['a server starting up (57P03)', pgError('57P03', 'the database system is starting up')],
    ['a connection exception (08006)', pgError('08006')],
    ['a pool timeout', new Error('timeout exceeded when trying to connect')],
    ['a terminated connection', new Error('Connection terminated unexpectedly')],
    ['a query failure wrapping one', new QueryFailedError('SELECT 1', [], pgError('57P01'))],
    ['an error caused by one', new Error('wrapped', { cause: pgError('08001') })],
    ['a runner released by its failed connection', new QueryRunnerAlreadyReleasedError()],
    ['a manager whose runner was released', new QueryRunnerProviderAlreadyReleasedError()],
    ['every address refused', new AggregateError([Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })])],
  ])('is true for %s', (_name, error) => {
    expect(isDatabaseOutage(error)).toBe(true);
  });

  it.each([
    ['a unique violation', pgError('23505', 'duplicate key value')],
    ['a serialization failure', pgError('40001')],
    ['a bad password', pgError('28P01', 'password authentication failed')],
    ['a plain bug', new TypeError('undefined is not a function')],
    ['no error at all', undefined],
  ])('is false for %s', (_name, error) => {
    expect(isDatabaseOutage(error)).toBe(false);
  });
});

describe('outageResponse', () => {
  it('is a 503 SERVICE_UNAVAILABLE with Retry-After', () => {
    const { body, headers } = outageResponse();
    expect(body).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' });
    expect(headers['Retry-After']).toMatch(/^\d+$/);
  });
});
