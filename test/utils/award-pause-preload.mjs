// Preloaded (`--import`) into a spawned app by awardPause(): a pause between the awards of one reward
// job, which opens the window the crash tests kill the worker in. Test code only: production has no
// such setting.
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';

const pauseMs = Number(process.env.TEST_AWARD_PAUSE_MS ?? 0);
const require = createRequire(import.meta.url);
const { PurchaseRewardsService } = require('../../dist/src/purchases/purchase-rewards.service.js');
const award = PurchaseRewardsService.prototype.award;
if (typeof award !== 'function') throw new Error('award-pause: PurchaseRewardsService.prototype.award(purchase, award) is gone; update test/utils/award-pause-preload.mjs');
const started = new WeakSet();

PurchaseRewardsService.prototype.award = async function (purchase, ...rest) {
  if (started.has(purchase)) await sleep(pauseMs);
  started.add(purchase);
  return award.call(this, purchase, ...rest);
};
