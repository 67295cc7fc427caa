import { ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { AUDIT_ACTIONS } from '../audit-actions';

export class AuditActorDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ maxLength: 255, description: 'Unmasked; an anonymised address once the account is closed' }) email: string;
}

export class AuditTargetDto {
  @ApiProperty({ enum: ['user', 'referral', 'webhook', 'rules'] }) type: string;
  @ApiProperty({ maxLength: 255 }) id: string;
}

const STATE = { type: 'object', additionalProperties: true, nullable: true } as const;

@ApiExtraModels(AuditActorDto)
export class AuditEntryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'date-time', description: 'When the action committed (its transaction began)' }) at: string;
  @ApiProperty({
    oneOf: [{ $ref: getSchemaPath(AuditActorDto) }, { type: 'string', enum: ['cli'] }],
    description: 'The admin who acted, or "cli" for `npm run cli` commands',
  })
  actor: AuditActorDto | 'cli';
  @ApiProperty({ enum: AUDIT_ACTIONS }) action: string;
  @ApiProperty({ type: AuditTargetDto }) target: AuditTargetDto;
  @ApiProperty({ ...STATE, description: "The target's state before the action, when it has one (e.g. { role }, { status })" })
  before: Record<string, unknown> | null;
  @ApiProperty({ ...STATE, description: "The target's state after the action (balances after a points change)" })
  after: Record<string, unknown> | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What the action carried: amount, reason, transactionId, note' })
  details: Record<string, unknown>;
  @ApiProperty({ type: String, nullable: true, maxLength: 128, description: 'X-Request-Id of the HTTP call; null from the CLI' })
  requestId: string | null;
}

export class AuditLogPageDto {
  @ApiProperty({ type: [AuditEntryDto], maxItems: 100 }) items: AuditEntryDto[];
  @ApiProperty({ nullable: true, type: String, maxLength: 255 }) nextCursor: string | null;
}
