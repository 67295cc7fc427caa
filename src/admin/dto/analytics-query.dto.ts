import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, MaxLength } from 'class-validator';
import { IsDateTime } from '../../common/http/is-date-time.decorator';

export class AnalyticsQueryDto {
  @ApiPropertyOptional({ format: 'date-time', maxLength: 40, description: 'Inclusive start; default 30 days before `to`' })
  @IsOptional()
  @IsDateTime()
  @MaxLength(40)
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', maxLength: 40, description: 'Exclusive end; default now' })
  @IsOptional()
  @IsDateTime()
  @MaxLength(40)
  to?: string;
}
