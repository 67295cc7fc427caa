import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from '../../test/utils/test-app';
import { JobsService } from './jobs.service';

const seen: string[] = [];
const batchAttempts = new Map<string, number>();

@Injectable()
class ProbeJobs implements OnModuleInit {
  constructor(private readonly jobs: JobsService) {}
  onModuleInit() {
    this.jobs.register<{ tag: string }>({ name: 'probe', handle: async ({ tag }) => void seen.push(tag) });
    this.jobs.register<{ tag: string }>({
      name: 'probe-batch',
      batchSize: 10,
      queue: { retryLimit: 2, retryDelay: 0, retryBackoff: false },
      handle: async ({ tag }) => {
        batchAttempts.set(tag, (batchAttempts.get(tag) ?? 0) + 1);
        if (tag === 'poison') throw new Error('always fails');
      },
    });
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

  describe('workers', () => {
    it('settle each job of a batch alone: a failing job is retried without its batch-mates', async () => {
      const db = t.app.get(DataSource);
      const jobs = t.app.get(JobsService);
      const tags = ['a', 'b', 'poison', 'c', 'd'];
      await db.transaction(async (manager) => {
        for (const tag of tags) await jobs.send('probe-batch', { tag }, { manager });
      });
      await until(() => (batchAttempts.get('poison') ?? 0) >= 3, 20_000);
      await new Promise((r) => setTimeout(r, 300));
      expect(batchAttempts.get('poison')).toBe(3);
      for (const tag of ['a', 'b', 'c', 'd']) expect(batchAttempts.get(tag)).toBe(1);
    });
  });

  describe('queues', () => {
    it('take this build\'s settings on start, also when an older build created them', async () => {
      const db = t.app.get(DataSource);
      await db.query(`UPDATE pgboss.queue SET retention_seconds = 1209600, notify = false WHERE name = 'mail.send'`);
      const restarted = await createTestApp({ imports: [ProbeModule] });
      await restarted.close();
      const [queue] = await db.query(`SELECT retention_seconds, deletion_seconds, notify FROM pgboss.queue WHERE name = 'mail.send'`);
      expect(queue).toEqual({ retention_seconds: 3600, deletion_seconds: 3600, notify: true });
    });
  });
});
