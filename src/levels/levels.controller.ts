import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { LevelDto } from './dto/level.dto';
import { LevelsService } from './levels.service';

@ApiTags('points')
@Controller('api/points')
export class LevelsController {
  constructor(private readonly levels: LevelsService) {}

  @Get('levels')
  @ApiOperation({ summary: 'The level tiers, ascending' })
  @ApiOkResponse({ type: [LevelDto], description: 'The level tiers, ascending' })
  list(): Promise<LevelDto[]> {
    return this.levels.list();
  }
}
