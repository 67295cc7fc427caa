import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, MaxLength } from 'class-validator';

export class AnalyticsQueryDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'Inclusive start; default 30 days before `to`' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  @MaxLength(40)
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Exclusive end; default now' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  @MaxLength(40)
  to?: string;
}
