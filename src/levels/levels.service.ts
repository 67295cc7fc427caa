import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { LevelDto } from './dto/level.dto';
import { LevelConfigEntity } from './entities/level-config.entity';

/** Tiers change only when `seed:levels` runs; a running instance picks a change up within this. */
const TIERS_TTL_MS = 30_000;

@Injectable()
export class LevelsService {
  private cached?: { tiers: Promise<LevelDto[]>; until: number };

  constructor(@InjectRepository(LevelConfigEntity) private readonly levels: Repository<LevelConfigEntity>) {}

  /** Every tier, lowest first. Read on every my-points call, so kept in memory for a short while. */
  list(): Promise<LevelDto[]> {
    const now = Date.now();
    if (!this.cached || this.cached.until <= now) {
      const tiers = this.load();
      this.cached = { tiers, until: now + TIERS_TTL_MS };
      tiers.catch(() => (this.cached = undefined));
    }
    return this.cached.tiers;
  }

  /** A user's tier (by the level the ledger keeps on the user) and the one after it (null at the top). */
  async standing(level: number): Promise<{ current: LevelDto; next: LevelDto | null }> {
    const tiers = await this.list();
    const at = Math.max(0, tiers.findIndex((t) => t.level === level));
    return { current: tiers[at], next: tiers[at + 1] ?? null };
  }

  private async load(): Promise<LevelDto[]> {
    const rows = await this.levels.find({ order: { minPoints: 'ASC' } });
    return rows.map(({ level, name, minPoints, perks }) => ({ level, name, minPoints, perks }));
  }
}
