import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional } from 'class-validator';
import { digitsToNumber, PageQueryDto } from '../../common/pagination/page-query.dto';

export class ListReferralsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', enum: [1, 2], default: 1, description: '2 adds the referees of your referees (level 2)' })
  @IsOptional()
  @Transform(digitsToNumber)
  @IsIn([1, 2])
  depth?: 1 | 2;
}
