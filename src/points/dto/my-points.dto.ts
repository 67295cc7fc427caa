import { ApiProperty } from '@nestjs/swagger';

export class LevelRefDto {
  @ApiProperty({ type: 'integer', example: 2 }) level: number;
  @ApiProperty({ example: 'Silver' }) name: string;
  @ApiProperty({ type: 'integer', example: 500 }) minPoints: number;
}

export class ExpiringPointsDto {
  @ApiProperty({ type: 'integer', minimum: 1, example: 120 }) amount: number;
  @ApiProperty({ format: 'date-time', description: 'When the first of these points expire' }) at: string;
}

export class MyPointsDto {
  @ApiProperty({ type: 'integer', description: 'Lifetime points earned, net of clawbacks; sets the level' }) total: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Spendable now' }) available: number;
  @ApiProperty({ type: 'integer', description: 'Earned but still held' }) pending: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Clawed back beyond what was available; later earnings settle it before they become available' })
  debt: number;
  @ApiProperty({ type: LevelRefDto }) level: LevelRefDto;
  @ApiProperty({ type: LevelRefDto, nullable: true }) nextLevel: LevelRefDto | null;
  @ApiProperty({ type: 'integer', description: '0 at the highest level' }) pointsToNextLevel: number;
  @ApiProperty({
    type: ExpiringPointsDto,
    nullable: true,
    description: 'The points of the soonest-expiring lots (those expiring on the same UTC day) when they expire within POINTS_EXPIRY_REMINDER_DAYS; null otherwise or when expiry is off',
  })
  expiring: ExpiringPointsDto | null;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'Under LEVEL_WINDOW_MONTHS > 0: points earned net of clawbacks in the window, which set the level; null under lifetime qualification',
  })
  qualifyingPoints: number | null;
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    nullable: true,
    description: 'Points still to earn in the window to keep the current level at the next evaluation (0 when safe); null under lifetime qualification',
  })
  pointsToRetain: number | null;
  @ApiProperty({
    type: 'string',
    format: 'date-time',
    nullable: true,
    description: 'The next daily evaluation that could lower the level (null at the lowest level and under lifetime qualification)',
  })
  retainUntil: string | null;
}
