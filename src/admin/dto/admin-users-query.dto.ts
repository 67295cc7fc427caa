import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { IsNotBlank } from '../../common/http/is-not-blank.decorator';
import { PageQueryDto } from '../../common/pagination/page-query.dto';

export class AdminUsersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 255,
    description: 'An email prefix (case-insensitive; % and _ match only themselves) or an exact user id. Absent: every active user',
    example: 'jane@',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  @IsNotBlank()
  query?: string;
}
