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
    'probe-capped': { tag: string };
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

  @OnJob('probe-capped', { queue: { retryLimit: 20, retryDelay: 3600, retryBackoff: true, retryDelayMax: 2 } })
  async probeCapped(): Promise<void> {
    throw new Error('fails, to be retried');
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

  describe('retries', () => {
    it('wait no longer than the queue\'s retryDelayMax, however long the back-off has grown', async () => {
      const id = (await t.app.get(JobsService).send('probe-capped', { tag: 'x' }))!;
      const db = t.app.get(DataSource);
      const row = async () => (await db.query(`SELECT state, extract(epoch FROM start_after - now()) AS wait FROM pgboss.job WHERE id = $1`, [id]))[0];
      const end = Date.now() + 10_000;
      // The cap is applied just after pg-boss has computed the back-off: wait for it, not for the retry state.
      const capped = async () => ((r) => r.state === 'retry' && Number(r.wait) <= 2)(await row());
      while (!(await capped()) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      const { state, wait } = await row();
      expect(state).toBe('retry');
      // Uncapped, the first retry of a 3600 s delay with back-off waits 3600..7200 s.
      expect(Number(wait)).toBeLessThanOrEqual(2);
    });
  });

  describe('finished jobs', () => {
    it('of a queue with deleteAfterSeconds go at the next maintenance after that', async () => {
      const db = t.app.get(DataSource);
      const id = (await t.app.get(JobsService).send('probe', { tag: 'old' }))!;
      await until(() => seen.includes('old'));
      await db.query(`INSERT INTO pgboss.job (id, name, data, state, completed_on) VALUES (gen_random_uuid(), 'mail.send', '{}', 'completed', now() - interval '2 hours')`);
      const count = async (name: string, state: string) =>
        (await db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND state = $2`, [name, state]))[0].n as number;
      expect(await count('mail.send', 'completed')).toBe(1);
      const end = Date.now() + 25_000;
      while ((await count('mail.send', 'completed')) > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
      expect(await count('mail.send', 'completed')).toBe(0);
      // A queue without it keeps its finished jobs.
      expect((await db.query(`SELECT state FROM pgboss.job WHERE id = $1`, [id]))[0]?.state).toBe('completed');
    });
  });

  describe('queues', () => {
    it('take this build\'s settings on start, also when an older build created them', async () => {
      const db = t.app.get(DataSource);
      await db.query(`UPDATE pgboss.queue SET retention_minutes = 20160, retry_limit = 1, retry_backoff = false WHERE name = 'mail.send'`);
      const restarted = await createTestApp({ imports: [ProbeModule] });
      await restarted.close();
      const [queue] = await db.query(`SELECT retention_minutes, retry_limit, retry_backoff FROM pgboss.queue WHERE name = 'mail.send'`);
      expect(queue).toEqual({ retention_minutes: 60, retry_limit: 10, retry_backoff: true });
    });
  });
});
