import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { LevelDto } from './dto/level.dto';
import { LevelsService } from './levels.service';

@ApiTags('points')
@Controller('api/points')
export class LevelsController {
  constructor(private readonly levels: LevelsService) {}

  @Get('levels')
  @ApiOkResponse({ type: [LevelDto], description: 'The level tiers, ascending' })
  list(): Promise<LevelDto[]> {
    return this.levels.list();
  }
}
