import { describe, expect, it } from 'vitest';
import { levelTiers } from './level-tiers';

describe('levelTiers', () => {
  it('reads the repo file: at least 4 tiers, the first at 0, thresholds rising', () => {
    const tiers = levelTiers();
    expect(tiers.length).toBeGreaterThanOrEqual(4);
    expect(tiers[0].minPoints).toBe(0);
    for (let i = 1; i < tiers.length; i++) expect(tiers[i].minPoints).toBeGreaterThan(tiers[i - 1].minPoints);
  });

  it.each([
    [[], /non-empty/],
    [[{ level: 1, name: 'A', minPoints: 10, perks: [] }], /start at 0/],
    [[{ level: 1, name: 'A', minPoints: 0, perks: [] }, { level: 2, name: 'B', minPoints: 0, perks: [] }], /more points/],
    [[{ level: 1, name: '', minPoints: 0, perks: [] }], /name/],
    [[{ level: 1, name: 'A', minPoints: 0.5, perks: [] }], /minPoints/],
  ])('rejects a bad file (%j)', (source, message) => {
    expect(() => levelTiers(source)).toThrow(message);
  });
});
