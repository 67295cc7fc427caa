import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { AppException } from './app.exception';
import { codeForStatus, CommonErrorCode } from './common.exception';
import { ErrorBody } from './error-body';
import { isDatabaseOutage, outageResponse } from './outage';

/** Body-parser's errors: a client's fault, with a status of their own. */
interface ParserError {
  type?: string;
  status?: number;
  statusCode?: number;
  expose?: boolean;
}

/** Gives every error API.md's shape; anything unexpected is a 500 with a correlation id, logged once. */
@Catch()
export class GlobalExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ExceptionFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request & { id?: string }>();
    const { body, headers } = this.toBody(error, request);
    if (response.headersSent) return;
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    response.status(body.statusCode).json(body);
  }

  private toBody(error: unknown, request: Request & { id?: string }): { body: ErrorBody; headers: Record<string, string> } {
    if (error instanceof AppException) {
      const message = error.details ?? error.message;
      return { body: { statusCode: error.status, code: error.code, message }, headers: error.headers };
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const cause = error.cause as ParserError | undefined;
      if (status < 500 && typeof cause?.type === 'string') return { body: this.fromParserError(cause), headers: {} };
      if (status === 400 && error.cause instanceof URIError) {
        return { body: { statusCode: 400, code: CommonErrorCode.VALIDATION_FAILED, message: 'Malformed URL' }, headers: {} };
      }
      if (status < 500) return { body: this.fromHttpException(error, status), headers: {} };
    }
    const parser = error as ParserError;
    if (parser?.expose && typeof parser.type === 'string' && (parser.status ?? 500) < 500) {
      return { body: this.fromParserError(parser), headers: {} };
    }
    if (isDatabaseOutage(error)) {
      this.logger.warn({ reason: error instanceof Error ? error.message : String(error), path: request.path }, 'database unreachable: answered 503');
      return outageResponse();
    }
    const correlationId = request.id ?? randomUUID();
    this.logger.error({ err: error, correlationId, method: request.method, path: request.path }, 'unexpected error');
    return {
      body: { statusCode: 500, code: CommonErrorCode.INTERNAL_ERROR, message: 'Internal server error', correlationId },
      headers: {},
    };
  }

  private fromHttpException(error: HttpException, status: number): ErrorBody {
    const response = error.getResponse();
    const given = typeof response === 'object' && response !== null ? (response as Record<string, unknown>) : {};
    const code = typeof given.code === 'string' ? given.code : codeForStatus(status);
    const message = Array.isArray(given.message) || typeof given.message === 'string' ? given.message : error.message;
    return { statusCode: status, code, message: message as string | string[] };
  }

  private fromParserError(error: ParserError): ErrorBody {
    const status = error.status ?? error.statusCode ?? 400;
    switch (error.type) {
      case 'entity.parse.failed':
        return { statusCode: 400, code: CommonErrorCode.MALFORMED_JSON, message: 'The request body is not valid JSON' };
      case 'entity.too.large':
        return { statusCode: 413, code: CommonErrorCode.PAYLOAD_TOO_LARGE, message: 'The request body is too large' };
      default:
        return { statusCode: status, code: codeForStatus(status), message: 'The request body could not be read' };
    }
  }
}
