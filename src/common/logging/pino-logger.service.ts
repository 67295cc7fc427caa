import { LoggerService } from '@nestjs/common';
import { Logger } from 'pino';

type Level = 'error' | 'warn' | 'info' | 'debug' | 'trace';

const looksLikeStack = (value: string) => /\n\s+at /.test(value);

/**
 * Routes Nest's log calls into the structured JSON log. Nest passes `(message, ...params)` and
 * appends a logger's context last; `message` may be an object of fields (`{ err, ... }`, with an
 * optional `msg`), an Error, or text.
 */
export class PinoLoggerService implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]) {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]) {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]) {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]) {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]) {
    this.write('trace', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]) {
    const extra = params.filter((p) => p !== undefined);
    const context = extra.length > 0 && typeof extra[extra.length - 1] === 'string' ? (extra.pop() as string) : undefined;
    const note = extra.find((p): p is string => typeof p === 'string');
    const fields: Record<string, unknown> = { context };
    let text: string | undefined;
    if (message instanceof Error) {
      fields.err = message;
      text = message.message;
    } else if (typeof message === 'object' && message !== null) {
      const { msg, ...rest } = message as Record<string, unknown>;
      Object.assign(fields, rest);
      text = typeof msg === 'string' ? msg : undefined;
    } else {
      text = String(message);
    }
    if (note !== undefined) {
      if (level === 'error' && looksLikeStack(note)) fields.trace = note;
      else text = text === undefined ? note : `${text} ${note}`;
    }
    this.logger[level](fields, text);
  }
}
