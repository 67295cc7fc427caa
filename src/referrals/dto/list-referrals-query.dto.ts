import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class ListReferralsQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque: the nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  cursor?: string;

  @ApiPropertyOptional({ enum: [1, 2], default: 1, description: '2 adds the referees of your referees (level 2)' })
  @IsOptional()
  @Type(() => Number)
  @IsIn([1, 2])
  depth?: 1 | 2;
}
