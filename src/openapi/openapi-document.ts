import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { completeDocument } from './complete-document';
import { BEARER_SCHEME, METRICS_TOKEN_SCHEME, WEBHOOK_SIGNATURE_SCHEME } from './security';

/** The OpenAPI document of the app's controllers; needs no database (an app created with `preview: true` will do). */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Referral and loyalty points')
    .setDescription('Referral codes and short links, attribution, the points ledger, levels and rewards. See API.md.')
    .setVersion('1.0')
    .addServer('/', 'The server that serves this document')
    .addTag('auth', 'Sign-up with an emailed code, log-in, Google sign-in')
    .addTag('referrals', 'Referral codes, short links and your referees')
    .addTag('points', 'Balances, the ledger, levels, the leaderboard and redemptions')
    .addTag('purchases', "The commerce system's signed webhooks")
    .addTag('admin', 'Review of flagged referrals and analytics (role admin)')
    .addTag('operations', 'Health, probes and metrics')
    .addTag('dashboard', 'The web pages served over the API')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The accessToken of login or verify-email-code: an HS256 JWT with `exp`, following RFC8725' }, BEARER_SCHEME)
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'X-Signature',
        description: 'Purchase webhooks: `sha256=<hex HMAC-SHA256 of the raw body with PURCHASE_WEBHOOK_SECRET>`',
      },
      WEBHOOK_SIGNATURE_SCHEME,
    )
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: '`/metrics` when METRICS_TOKEN is set: `Authorization: Bearer <METRICS_TOKEN>`' }, METRICS_TOKEN_SCHEME)
    .build();
  return completeDocument(SwaggerModule.createDocument(app, config));
}

/** `/docs` (the UI) and `/docs-json`. */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, createOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
}
