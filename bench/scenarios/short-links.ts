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
const SLICE_S = 1;
/**
 * Seconds of each arm per round, at least: on two shared cores single 1-s slices vary by ±15%,
 * and with 6 s of each the same process with recording off in both arms read −13% to +2%, so a
 * 5% target could not be told from 0; with 12–20 s of each, four such runs read −4.2% to +1.9%.
 */
const MIN_SECONDS = 30;

interface Load {
  runs: number;
  ok: number;
  failed: number;
  seconds: number;
}

const emptyLoad = (): Load => ({ runs: 0, ok: 0, failed: 0, seconds: 0 });
const rate = (l: Load) => l.ok / l.seconds;

function add(total: Load, r: HttpResult): void {
  total.runs += 1;
  total.ok += r.ok;
  total.failed += r.failed;
  total.seconds += r.seconds;
}

/** Scenario 5: GET /r/:code with click recording on, against the same process with it off. */
export const shortLinks: Scenario = async ({ server, options, log }): Promise<ScenarioReport> => {
  const seconds = Math.max(options.duration, MIN_SECONDS);
  const db = await freshDatabase(server);
  await seedUsers(db.url, REFERRERS);
  // One process, recording switched per slice: two processes differed by up to 10% with recording off in both.
  const app = await startServer(benchEnv(db.url, { CLICK_RECORDING: 'on' }));
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
    await follow(app.url, 2);
    await sleep(1_000);
    const clicksBefore = await countClicks(db.url);
    const rounds: Array<{ on: Load; off: Load }> = [];
    for (let n = 1; n <= options.rounds; n++) {
      // Short slices in ABBA order (BAAB in even rounds): drift and whatever else runs on the machine fall on both alike.
      const round = { on: emptyLoad(), off: emptyLoad() };
      const order = n % 2 ? (['on', 'off', 'off', 'on'] as const) : (['off', 'on', 'on', 'off'] as const);
      for (let slice = 0; slice < 2 * Math.round(seconds / SLICE_S); slice++) {
        const which = order[slice % 4];
        await app.setClickRecording(which === 'on');
        add(round[which], await follow(app.url, SLICE_S));
      }
      log(`round ${n}: recording on ${rate(round.on).toFixed(0)}/s, off ${rate(round.off).toFixed(0)}/s`);
      rounds.push(round);
    }
    await sleep(1_000);
    const recorded = (await countClicks(db.url)) - clicksBefore;
    const redirectsOn = rounds.reduce((n, r) => n + r.on.ok, 0);
    // In flight when a slice ends: served and recorded, not counted — at the end of an on slice, or at the start of the next after an off slice.
    const slack = 2 * CONNECTIONS * rounds.reduce((n, r) => n + r.on.runs, 0);
    const onRate = median(rounds.map((r) => rate(r.on)));
    const offRate = median(rounds.map((r) => rate(r.off)));
    const cost = 1 - ratio(onRate, offRate);
    const failed = rounds.reduce((n, r) => n + r.on.failed + r.off.failed, 0);
    return {
      id: 5,
      title: 'Short links',
      rows: [
        { measure: 'GET /r/:code redirects/s, recording on', value: onRate, unit: '/s', baseline: { label: '/s recording off', value: offRate }, ratio: ratio(onRate, offRate) },
        { measure: 'throughput cost of click recording', value: cost * 100, unit: '%', target: { label: '< 5%', pass: cost < 0.05 } },
        { measure: 'clicks recorded - redirects counted (recording on)', value: recorded - redirectsOn, unit: '', target: { label: `0..${slack}`, pass: recorded >= redirectsOn && recorded <= redirectsOn + slack } },
        { measure: 'failed requests, all rounds', value: failed, unit: '', target: { label: '0', pass: failed === 0 } },
      ],
      details: { referrers: REFERRERS, connections: CONNECTIONS, rounds, recorded, redirectsOn },
      notes: [
        `one instance of the app, CLICK_RECORDING switched on and off between slices, ${CONNECTIONS} connections, codes of ${REFERRERS} random referrers, ` +
          `each round ${seconds} s of each (at least ${MIN_SECONDS}, whatever --duration says) in ${SLICE_S}-s slices, ABBA order`,
      ],
    };
  } finally {
    await app.stop();
    await db.drop();
  }
};

async function countClicks(url: string): Promise<number> {
  return withClient(url, async (c) => Number((await c.query('SELECT count(*) AS n FROM referral_clicks')).rows[0].n));
}
