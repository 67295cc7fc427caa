import { Injectable, Module } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from '../../test/utils/test-app';
import { UnitOfWork } from '../database/unit-of-work';
import { OnJob } from './job-catalogue';
import { JobsService } from './jobs.service';

declare module './job-catalogue' {
  interface JobPayloads {
    probe: { tag: string };
    'probe-batch': { tag: string };
  }
}

const seen: string[] = [];
const batchAttempts = new Map<string, number>();

@Injectable()
class ProbeJobs {
  @OnJob('probe')
  async probe({ tag }: { tag: string }): Promise<void> {
    seen.push(tag);
  }

  @OnJob('probe-batch', { batchSize: 10, queue: { retryLimit: 2, retryDelay: 0, retryBackoff: false } })
  async probeBatch({ tag }: { tag: string }): Promise<void> {
    batchAttempts.set(tag, (batchAttempts.get(tag) ?? 0) + 1);
    if (tag === 'poison') throw new Error('always fails');
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
      const uow = t.app.get(UnitOfWork);
      const jobs = t.app.get(JobsService);
      await uow.run((tx) => jobs.send('probe', { tag: 'committed' }, { tx }));
      await uow
        .run(async (tx) => {
          await jobs.send('probe', { tag: 'rolled-back' }, { tx });
          throw new Error('roll back');
        })
        .catch(() => undefined);
      await until(() => seen.includes('committed'));
      await new Promise((r) => setTimeout(r, 500));
      expect(seen).toEqual(['committed']);
    });
  });

  describe('the catalogue', () => {
    it('types send by the queue name (the @ts-expect-error lines fail typecheck if it does not)', () => {
      const jobs = t.app.get(JobsService);
      const typed = () => {
        // @ts-expect-error a probe's tag is a string
        void jobs.send('probe', { tag: 1 });
        // @ts-expect-error no queue of this name is declared
        void jobs.send('no-such-queue', {});
      };
      expect(typeof typed).toBe('function');
    });
  });

  describe('workers', () => {
    it('settle each job of a batch alone: a failing job is retried without its batch-mates', async () => {
      const jobs = t.app.get(JobsService);
      const tags = ['a', 'b', 'poison', 'c', 'd'];
      await t.app.get(UnitOfWork).run(async (tx) => {
        for (const tag of tags) await jobs.send('probe-batch', { tag }, { tx });
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
