import { ApiProperty } from '@nestjs/swagger';

export class LevelRefDto {
  @ApiProperty({ type: 'integer', example: 2 }) level: number;
  @ApiProperty({ example: 'Silver' }) name: string;
  @ApiProperty({ type: 'integer', example: 500 }) minPoints: number;
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
}
