import { ApiProperty } from '@nestjs/swagger';

export class LevelDto {
  @ApiProperty({ type: 'integer', example: 2 })
  level: number;

  @ApiProperty({ example: 'Silver' })
  name: string;

  @ApiProperty({ type: 'integer', example: 500 })
  minPoints: number;

  @ApiProperty({ type: [String] })
  perks: string[];
}
