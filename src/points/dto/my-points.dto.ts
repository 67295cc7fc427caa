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
}
