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
}
