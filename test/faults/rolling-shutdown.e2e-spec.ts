import { randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppProcess, startApp } from '../utils/app-process';
import { awardPause } from '../utils/award-pause';
import { committedChanges, coverage } from '../utils/event-coverage';
import { httpCall } from '../utils/http-call';
import { createLoadUsers, LoadUsers } from '../utils/load-users';
import { answerAllowed, LoadOp, outcomeOf, PointsLoad, tally } from '../utils/points-load';
import { openPurchaseJobs, purchaseAwardProblems } from '../utils/purchase-awards';
import { runNode } from '../utils/run-node';
import { SocketRecorder } from '../utils/socket-recorder';
import { until } from '../utils/wait';

/*
 * Issue 9, "Done when" 2 (second half): a rolling deploy's stop. Instance A gets all the load
 * through keep-alive connections and reward jobs that pause between awards; it is SIGTERMed
 * mid-load. It must exit within 10 s without logging errors, and every change committed up to
 * its end, by its HTTP handlers or its workers, must be announced to sockets on instance B.
 */
const WEBHOOK_SECRET = 'rolling-webhook-secret-0123456789';

describe('one instance stopped under keep-alive load', () => {
  const apps: AppProcess[] = [];
  const recorders: SocketRecorder[] = [];
  let users: LoadUsers;
  let url: string;

  beforeAll(async () => {
    url = process.env.DATABASE_URL!;
    const env = { PURCHASE_WEBHOOK_SECRET: WEBHOOK_SECRET, PURCHASE_JOB_EXPIRE_SECONDS: '10', JOBS_SUPERVISE_INTERVAL_SECONDS: '1' };
    apps.push(
      ...(await Promise.all([
        // Reward jobs on A take a while, so that some are half-way when it is told to stop.
        startApp({ env: { DATABASE_URL: url, LOG_LEVEL: 'warn', ...env, ...awardPause(250) }, tempDataDir: 'referral-points-app-' }),
        startApp({ env: { DATABASE_URL: url, LOG_LEVEL: 'warn', ...env }, tempDataDir: 'referral-points-app-' }),
      ])),
    );
    users = await createLoadUsers(url, apps[1].url, 4);
    recorders.push(
      await SocketRecorder.open('bob@B', users.bob.id, apps[1].url, users.bob.token),
      await SocketRecorder.open('ann@B', users.ann.id, apps[1].url, users.ann.token),
    );
  }, 110_000);

  afterAll(async () => {
    for (const r of recorders) r.close();
    await Promise.all(apps.map((a) => a.kill()));
  });

  it('exits within 10 s, logs no error, and every committed change reaches the other instance', async () => {
    const [a, b] = apps;
    // B's adapter listens asynchronously after start-up: count only from when A's events arrive.
    for (const [i, user] of [users.bob, users.ann].entries()) {
      const ping = await httpCall(a.url, 'POST', '/api/points/admin/add', {
        headers: { Authorization: `Bearer ${users.admin.token}` },
        body: JSON.stringify({ userId: user.id, amount: 1, reason: 'warm-up' }),
      });
      expect(ping.status).toBe(201);
      await until(() => recorders[i].updates.length, (n) => n > 0, 10_000);
    }
    const since = Date.now();

    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    let sigtermAt = 0;
    const load = new PointsLoad({
      instances: [a.url, b.url],
      admin: users.admin,
      earners: [users.bob, users.ann],
      buyers: users.buyers,
      webhookSecret: WEBHOOK_SECRET,
      runId: randomUUID().slice(0, 8),
      agent,
      // Everything goes to A while it runs; what it cannot answer is retried on B.
      route: (_op: LoadOp, attempt: number) => (attempt === 0 && a.alive() ? 0 : 1),
    });
    let stopLoad = false;
    const running = load.run({ workers: 6, pauseMs: 20, maxOps: 2_000, stop: () => stopLoad });
    await until(() => load.acceptedSince(since), (n) => n >= 40, 20_000);

    const mark = a.mark();
    const errorMark = a.errors().length;
    sigtermAt = Date.now();
    a.child.kill('SIGTERM');
    const exit = await Promise.race([a.exited, new Promise<null>((r) => setTimeout(() => r(null), 15_000))]);
    const exitMs = exit ? exit.at - sigtermAt : null;
    stopLoad = true;
    await running;
    agent.destroy();
    await load.settle({ rounds: 3, concurrency: 16, pauseMs: 300 });

    const db = new Client({ connectionString: url });
    await db.connect();
    try {
      const drainEnd = Date.now() + 25_000;
      while ((await openPurchaseJobs(db)) > 0 && Date.now() < drainEnd) await new Promise((r) => setTimeout(r, 200));
      const openJobs = await openPurchaseJobs(db);
      const watched = [users.bob.id, users.ann.id];
      const rule = { graceMs: 10_000, liveFrom: 'connect' as const, since };
      const eventsEnd = Date.now() + 8_000;
      let changes = await committedChanges(db, watched, 'created');
      while (Date.now() < eventsEnd && recorders.some((r) => coverage(r, changes, rule).missing.length > 0)) {
        await new Promise((r) => setTimeout(r, 200));
        changes = await committedChanges(db, watched, 'created');
      }
      const reports = recorders.map((r) => coverage(r, changes, rule));
      const fromA = load.answers.filter((x) => x.instance === 0);
      const shutdownLog = a.outputSince(mark);
      const errorsLogged = a.errors().slice(errorMark).map((l) => l.slice(0, 1_500));
      const beforeStop = fromA.filter((x) => x.at < sigtermAt);
      const afterStop = fromA.filter((x) => x.at >= sigtermAt);
      // eslint-disable-next-line no-console
      console.log(
        `rolling stop: ${JSON.stringify({ exit, exitMs, beforeStop: tally(beforeStop), afterStop: tally(afterStop), onB: tally(load.answers.filter((x) => x.instance === 1)), openJobs, ops: load.ops.length }, null, 1)}\nsockets: ${JSON.stringify(reports.map((r) => ({ ...r, missing: r.missing.length })))}`,
      );

      expect.soft(exitMs, `A exits within 10 s of SIGTERM\n${shutdownLog.split('\n').filter((l) => l.length < 400).slice(-20).join('\n')}`).not.toBeNull();
      expect.soft(exitMs ?? Infinity, 'ms from SIGTERM to exit').toBeLessThan(10_000);
      expect.soft(exit?.code, 'A exits with code 0').toBe(0);
      expect.soft(errorsLogged.slice(0, 10), 'A logs no error while it stops').toEqual([]);
      expect.soft(b.alive(), 'B stays up').toBe(true);
      expect.soft(tally(beforeStop.filter((x) => !answerAllowed(x))), 'A answers only 2xx/409/429/503 before the stop').toEqual({});
      // After the stop began, a call either gets an answer or finds the connection closed (and is retried on B).
      expect.soft(tally(afterStop.filter((x) => x.status !== 0 && !answerAllowed(x))), 'A answers only 2xx/409/429/503 while it stops').toEqual({});
      expect.soft(tally(load.answers.filter((x) => x.instance === 1 && !answerAllowed(x))), 'B answers only 2xx/409/429/503').toEqual({});
      expect.soft(load.ops.filter((op) => outcomeOf(op) === 'unknown').length, 'ops left without a final answer').toBe(0);
      expect.soft(openJobs, 'purchase jobs drained').toBe(0);
      const accepted = load.ops.filter((op) => op.kind === 'purchase' && outcomeOf(op) === 'accepted').map((op) => op.key);
      expect.soft(await purchaseAwardProblems(db, accepted), 'every accepted purchase awarded exactly once').toEqual([]);
      for (const r of reports) {
        expect.soft(r.missing.map((c) => c.id), `${r.name}: committed changes whose event never came (of ${r.required})`).toEqual([]);
        expect.soft(r.phantom, `${r.name}: events of no committed change`).toEqual([]);
        expect.soft(r.duplicated, `${r.name}: changes announced twice`).toEqual([]);
      }
    } finally {
      await db.end();
    }
    const verify = await runNode('cli/main.js', ['ledger:verify'], { DATABASE_URL: url, LOG_LEVEL: 'silent' }, 30_000);
    expect.soft(verify.code, `ledger:verify\n${verify.stdout}${verify.stderr}`).toBe(0);
  }, 85_000);
});
