import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ALL_EVENTS, SUBSCRIBABLE_EVENT_TYPES } from '../../common/events/outbound-events';

export const EVENT_CHOICES = [ALL_EVENTS, ...SUBSCRIBABLE_EVENT_TYPES];
const DISABLED_REASONS = ['disabled-by-admin', 'consecutive-failures', 'failing-for-3-days'];

const URL_DOC = {
  maxLength: 2048,
  description: 'https:// in production; must not resolve to a loopback, private or link-local address unless WEBHOOK_ALLOW_PRIVATE_URLS=true',
  example: 'https://example.com/hooks/referrals',
};
const EVENTS_DOC: ApiPropertyOptions = { type: [String], enum: EVENT_CHOICES, minItems: 1, maxItems: EVENT_CHOICES.length, description: '"*" subscribes to all', example: ['points.earned'] };

export class CreateWebhookDto {
  @ApiProperty(URL_DOC)
  @IsString()
  @MaxLength(2048)
  url: string;

  @ApiProperty(EVENTS_DOC)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(EVENT_CHOICES.length)
  @ArrayUnique()
  @IsIn(EVENT_CHOICES, { each: true })
  events: string[];

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional(URL_DOC)
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  url?: string;

  @ApiPropertyOptional(EVENTS_DOC)
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(EVENT_CHOICES.length)
  @ArrayUnique()
  @IsIn(EVENT_CHOICES, { each: true })
  events?: string[];

  @ApiPropertyOptional({ description: 'true re-enables (and resets the failure streak); false disables' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class WebhookEndpointDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ maxLength: 2048 }) url: string;
  @ApiProperty({ type: [String], enum: EVENT_CHOICES, maxItems: EVENT_CHOICES.length }) events: string[];
  @ApiProperty({ nullable: true, type: String, maxLength: 500 }) description: string | null;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ nullable: true, type: String, enum: DISABLED_REASONS }) disabledReason: string | null;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Failed attempts since the last success' }) failureStreak: number;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'The last attempt, successful or not' }) lastDeliveryAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class CreatedWebhookEndpointDto extends WebhookEndpointDto {
  @ApiProperty({ pattern: '^whsec_[A-Za-z0-9+/]{43}=$', description: 'Shown only in this response: store it to verify webhook-signature' })
  secret: string;
}

export class WebhookEndpointListDto {
  @ApiProperty({ type: [WebhookEndpointDto], maxItems: 100 }) items: WebhookEndpointDto[];
  @ApiProperty({ nullable: true, type: String, maxLength: 255 }) nextCursor: string | null;
}
