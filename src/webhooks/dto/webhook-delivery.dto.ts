import { ApiProperty } from '@nestjs/swagger';

export class WebhookDeliveryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', description: 'Also the webhook-id header, the same on every attempt' }) eventId: string;
  @ApiProperty({ maxLength: 64, example: 'points.earned' }) type: string;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Attempts made so far' }) attempt: number;
  @ApiProperty({ enum: ['pending', 'retrying', 'succeeded', 'failed', 'cancelled'] }) status: string;
  @ApiProperty({ type: 'integer', nullable: true, description: "The receiver's HTTP status of the last attempt" }) responseStatus: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) durationMs: number | null;
  @ApiProperty({ type: String, nullable: true, maxLength: 500 }) error: string | null;
  @ApiProperty({ format: 'date-time', description: 'The last attempt, or when the delivery was queued' }) at: string;
}

export class WebhookDeliveryListDto {
  @ApiProperty({ type: [WebhookDeliveryDto], maxItems: 100 }) items: WebhookDeliveryDto[];
  @ApiProperty({ nullable: true, type: String, maxLength: 255 }) nextCursor: string | null;
}

export class WebhookTestDto {
  @ApiProperty({ format: 'uuid', description: 'The webhook.test event: its webhook-id' }) eventId: string;
  @ApiProperty({ format: 'uuid' }) deliveryId: string;
}
