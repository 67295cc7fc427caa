import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';
import { PinoLoggerService } from './pino-logger.service';

function capture() {
  const lines: Array<Record<string, any>> = [];
  const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('createLogger', () => {
  it('redacts secrets and codes by path, and keeps an error code (the SQLSTATE)', () => {
    const { logger, lines } = capture();
    const err = Object.assign(new Error('duplicate key'), { code: '23505', constraint: 'users_email_key', parameters: ['$argon2id$hash'] });
    logger.error({ err, body: { code: '123456', email: 'a@example.com' }, password: 'hunter22', job: { data: { code: '654321' } } }, 'boom');
    const [line] = lines;
    expect(line.err).toMatchObject({ type: 'Error', message: 'duplicate key', code: '23505', constraint: 'users_email_key' });
    expect(line.err.stack).toContain('duplicate key');
    expect(line.body).toEqual({ code: '[redacted]', email: 'a@example.com' });
    expect(line.password).toBe('[redacted]');
    expect(line.job.data.code).toBe('[redacted]');
    expect(JSON.stringify(line)).not.toMatch(/123456|654321|hunter22|argon2id/);
  });
});

describe('PinoLoggerService', () => {
  it('reads Nest calls: fields with a message and a context, text with a stack, an Error', () => {
    const { logger, lines } = capture();
    const nest = new PinoLoggerService(logger);
    nest.error({ err: new Error('db down'), correlationId: 'c-1' }, 'unexpected error', 'ExceptionFilter');
    nest.error('handler failed', 'Error: handler failed\n    at x (y.js:1:1)', 'Jobs');
    nest.warn({ jobId: 'j' }, 'job failed', 'JobsService');
    nest.log('plain text', 'Mail');
    nest.error(new Error('thrown'), undefined, 'Ctx');
    expect(lines[0]).toMatchObject({ level: 'error', msg: 'unexpected error', context: 'ExceptionFilter', correlationId: 'c-1', err: { message: 'db down' } });
    expect(lines[1]).toMatchObject({ msg: 'handler failed', context: 'Jobs', trace: expect.stringContaining('at x') });
    expect(lines[2]).toMatchObject({ level: 'warn', msg: 'job failed', context: 'JobsService', jobId: 'j' });
    expect(lines[3]).toMatchObject({ level: 'info', msg: 'plain text', context: 'Mail' });
    expect(lines[4]).toMatchObject({ msg: 'thrown', context: 'Ctx', err: { type: 'Error', message: 'thrown' } });
    expect(JSON.stringify(lines)).not.toContain('[object Object]');
  });
});
