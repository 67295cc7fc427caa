import { beforeAll, inject } from 'vitest';
import { cloneTemplate } from './test-databases';

process.env.NODE_ENV = 'test';
process.env.JWT_SECRET ??= 'test-secret-test-secret-test-secret-0123456789';
process.env.LOG_LEVEL ??= 'silent';
process.env.PURCHASE_WEBHOOK_SECRET ??= 'test-webhook-secret-0123456789';

// Each test file gets its own database, so files run in parallel without sharing state.
beforeAll(async () => {
  process.env.DATABASE_URL = await cloneTemplate(inject('pgAdminUrl'), inject('pgTemplate'), inject('pgPrefix'));
});
