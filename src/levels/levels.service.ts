import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { LevelDto } from './dto/level.dto';
import { LevelConfigEntity } from './entities/level-config.entity';

@Injectable()
export class LevelsService {
  constructor(@InjectRepository(LevelConfigEntity) private readonly levels: Repository<LevelConfigEntity>) {}

  /** Every tier, lowest first. */
  async list(): Promise<LevelDto[]> {
    const rows = await this.levels.find({ order: { minPoints: 'ASC' } });
    return rows.map(({ level, name, minPoints, perks }) => ({ level, name, minPoints, perks }));
  }

  /** The tier a points total reaches and the one after it (null at the top). */
  async standing(total: number): Promise<{ current: LevelDto; next: LevelDto | null }> {
    const tiers = await this.list();
    const reached = tiers.filter((t) => t.minPoints <= total);
    const current = reached[reached.length - 1] ?? tiers[0];
    const next = tiers.find((t) => t.minPoints > total) ?? null;
    return { current, next };
  }
}
