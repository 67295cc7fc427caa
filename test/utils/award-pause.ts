import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The env that makes a spawned app (dist/) pause `ms` between the awards of one reward job (award-pause-preload.mjs). */
export function awardPause(ms: number): Record<string, string> {
  if (ms <= 0) return {};
  return { NODE_OPTIONS: `--import=${pathToFileURL(join(__dirname, 'award-pause-preload.mjs')).href}`, TEST_AWARD_PAUSE_MS: String(ms) };
}
