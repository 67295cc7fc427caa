import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page-query.dto';
import { AUDIT_ACTIONS, AuditAction } from '../audit-actions';

export class ListAuditLogQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: AUDIT_ACTIONS, description: 'Absent: every action' })
  @IsOptional()
  @IsIn(AUDIT_ACTIONS)
  action?: AuditAction;

  @ApiPropertyOptional({ minLength: 1, maxLength: 255, description: 'The id of the target (a user id, a referral id, ...)' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  targetId?: string;
}
