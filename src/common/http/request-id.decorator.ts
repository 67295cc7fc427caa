import { createParamDecorator, ExecutionContext } from '@nestjs/common';

/** The id pino-http gave this request (the client's X-Request-Id when valid), for the audit log. */
export const RequestId = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string | undefined => context.switchToHttp().getRequest<{ id?: unknown }>().id as string | undefined,
);
