import tiers from './level-tiers.json';

export interface LevelTier {
  level: number;
  name: string;
  minPoints: number;
  perks: string[];
}

/** The tiers kept in the repo, checked so that a bad edit fails the seed instead of the app. */
export function levelTiers(source: unknown = tiers): LevelTier[] {
  if (!Array.isArray(source) || source.length === 0) throw new Error('level-tiers.json must be a non-empty array');
  const list = source.map((tier, i) => checkTier(tier, i)).sort((a, b) => a.level - b.level);
  if (list[0].minPoints !== 0) throw new Error('the first level tier must start at 0 points');
  for (let i = 1; i < list.length; i++) {
    if (list[i].level === list[i - 1].level) throw new Error(`level ${list[i].level} is listed twice`);
    if (list[i].minPoints <= list[i - 1].minPoints) {
      throw new Error(`level ${list[i].level} must need more points than level ${list[i - 1].level}`);
    }
  }
  return list;
}

function checkTier(tier: Partial<LevelTier>, index: number): LevelTier {
  const ok =
    Number.isInteger(tier.level) && tier.level! >= 1 &&
    typeof tier.name === 'string' && tier.name.length > 0 && tier.name.length <= 100 &&
    Number.isInteger(tier.minPoints) && tier.minPoints! >= 0 &&
    Array.isArray(tier.perks) && tier.perks.every((p) => typeof p === 'string');
  if (!ok) throw new Error(`level tier #${index + 1} needs level >= 1, name (1..100), integer minPoints >= 0 and perks[]`);
  return { level: tier.level!, name: tier.name!, minPoints: tier.minPoints!, perks: tier.perks! };
}
