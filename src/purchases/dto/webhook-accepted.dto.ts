import { ApiProperty } from '@nestjs/swagger';

export class WebhookAcceptedDto {
  @ApiProperty({ enum: ['accepted'] })
  status: 'accepted';

  @ApiProperty({ description: 'True when this notification had already been received: nothing more happens' })
  duplicate: boolean;
}
