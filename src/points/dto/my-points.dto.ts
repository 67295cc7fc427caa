import { ApiProperty } from '@nestjs/swagger';

export class LevelRefDto {
  @ApiProperty({ example: 2 }) level: number;
  @ApiProperty({ example: 'Silver' }) name: string;
  @ApiProperty({ example: 500 }) minPoints: number;
}

export class MyPointsDto {
  @ApiProperty({ description: 'Lifetime points earned, net of clawbacks; sets the level' }) total: number;
  @ApiProperty({ description: 'Spendable now' }) available: number;
  @ApiProperty({ description: 'Earned but still held' }) pending: number;
  @ApiProperty({ description: 'Clawed back beyond what was available; later earnings settle it before they become available' })
  debt: number;
  @ApiProperty({ type: LevelRefDto }) level: LevelRefDto;
  @ApiProperty({ type: LevelRefDto, nullable: true }) nextLevel: LevelRefDto | null;
  @ApiProperty({ description: '0 at the highest level' }) pointsToNextLevel: number;
}
