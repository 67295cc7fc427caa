import { randomInt } from 'node:crypto';
import { freshDatabase, withClient } from '../bench-database';
import { benchEnv } from '../bench-env';
import { HttpResult, runHttp } from '../http-load';
import { ScenarioReport } from '../report';
import { Scenario } from '../scenario';
import { benchReferralCode, seedUsers } from '../seed';
import { startServer } from '../server-process';
import { median, ratio, sleep } from '../stats';

const CONNECTIONS = 16;
const REFERRERS = 10_000;

/** Scenario 5: GET /r/:code with click recording on, against the same app with it off. */
export const shortLinks: Scenario = async ({ server, options, log }): Promise<ScenarioReport> => {
  const db = await freshDatabase(server);
  await seedUsers(db.url, REFERRERS);
  const on = await startServer(benchEnv(db.url, { CLICK_RECORDING: 'on' }));
  const off = await startServer(benchEnv(db.url, { CLICK_RECORDING: 'off' }));
  try {
    const follow = (url: string, secs: number) =>
      runHttp({
        url,
        connections: CONNECTIONS,
        seconds: secs,
        path: '/r/x',
        pathOf: () => `/r/${benchReferralCode(1 + randomInt(REFERRERS))}`,
        expectStatus: 302,
      });
    log('warm-up');
    await follow(on.url, 1);
    await follow(off.url, 1);
    await sleep(1_000);
    const clicksBefore = await countClicks(db.url);
    const rounds: Array<{ on: HttpResult; off: HttpResult }> = [];
    for (let n = 1; n <= options.rounds; n++) {
      // Alternate which goes first so neither always meets the other's leftovers (flushes, autovacuum).
      const first = n % 2 ? 'on' : 'off';
      const a = await follow(first === 'on' ? on.url : off.url, options.duration);
      const b = await follow(first === 'on' ? off.url : on.url, options.duration);
      const round = first === 'on' ? { on: a, off: b } : { on: b, off: a };
      log(`round ${n}: recording on ${round.on.perSecond.toFixed(0)}/s, off ${round.off.perSecond.toFixed(0)}/s`);
      rounds.push(round);
    }
    await sleep(1_000);
    const recorded = (await countClicks(db.url)) - clicksBefore;
    const redirectsOn = rounds.reduce((n, r) => n + r.on.ok, 0);
    const slack = CONNECTIONS * rounds.length;
    const onRate = median(rounds.map((r) => r.on.perSecond));
    const offRate = median(rounds.map((r) => r.off.perSecond));
    const cost = 1 - ratio(onRate, offRate);
    const failed = rounds.reduce((n, r) => n + r.on.failed + r.off.failed, 0);
    return {
      id: 5,
      title: 'Short links',
      rows: [
        { measure: 'GET /r/:code redirects/s, recording on', value: onRate, unit: '/s', baseline: { label: '/s recording off', value: offRate }, ratio: ratio(onRate, offRate) },
        { measure: 'throughput cost of click recording', value: cost * 100, unit: '%', target: { label: '< 5%', pass: cost < 0.05 } },
        // autocannon stops counting with requests still in flight, so up to one per connection and round is served, recorded and not counted.
        { measure: 'clicks recorded - redirects counted (recording on)', value: recorded - redirectsOn, unit: '', target: { label: `0..${slack}`, pass: recorded >= redirectsOn && recorded <= redirectsOn + slack } },
        { measure: 'failed requests, all rounds', value: failed, unit: '', target: { label: '0', pass: failed === 0 } },
      ],
      details: { referrers: REFERRERS, connections: CONNECTIONS, rounds, recorded, redirectsOn },
      notes: [`two instances of the app on one database (CLICK_RECORDING=on / off), ${CONNECTIONS} connections, codes of ${REFERRERS} random referrers, rounds alternating which goes first`],
    };
  } finally {
    await on.stop();
    await off.stop();
    await db.drop();
  }
};

async function countClicks(url: string): Promise<number> {
  return withClient(url, async (c) => Number((await c.query('SELECT count(*) AS n FROM referral_clicks')).rows[0].n));
}
