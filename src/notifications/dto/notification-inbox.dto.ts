import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page-query.dto';

export class InboxQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: only unread notifications; false or absent: all' })
  @IsOptional()
  @IsIn(['true', 'false'])
  unread?: 'true' | 'false';
}

export class NotificationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ maxLength: 32, example: 'level-reached' }) type: string;
  @ApiProperty({ maxLength: 200 }) title: string;
  @ApiProperty({ maxLength: 1000 }) message: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'null while unread' }) readAt: string | null;
}

export class NotificationPageDto {
  @ApiProperty({ type: [NotificationDto], maxItems: 100 }) items: NotificationDto[];
  @ApiProperty({ nullable: true, type: String, maxLength: 255 }) nextCursor: string | null;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'All your unread notifications, whatever the filter and page' }) unread: number;
}
