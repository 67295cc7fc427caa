import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from '../../test/utils/test-app';
import { JobsService } from './jobs.service';

const seen: string[] = [];

@Injectable()
class ProbeJobs implements OnModuleInit {
  constructor(private readonly jobs: JobsService) {}
  onModuleInit() {
    this.jobs.register<{ tag: string }>({ name: 'probe', handle: async ({ tag }) => void seen.push(tag) });
  }
}

@Module({ providers: [ProbeJobs] })
class ProbeModule {}

async function until(check: () => boolean, ms = 10_000) {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
}

describe('JobsService', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ imports: [ProbeModule] });
  });
  afterAll(() => t?.close());

  describe('send', () => {
    it('runs a job enqueued in a committed transaction, and never one whose transaction rolled back', async () => {
      const db = t.app.get(DataSource);
      const jobs = t.app.get(JobsService);
      await db.transaction((manager) => jobs.send('probe', { tag: 'committed' }, { manager }));
      await db
        .transaction(async (manager) => {
          await jobs.send('probe', { tag: 'rolled-back' }, { manager });
          throw new Error('roll back');
        })
        .catch(() => undefined);
      await until(() => seen.includes('committed'));
      await new Promise((r) => setTimeout(r, 500));
      expect(seen).toEqual(['committed']);
    });
  });
});
