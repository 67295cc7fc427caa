import { ApiProperty } from '@nestjs/swagger';
import type { UserRole } from '../entities/user.entity';

/** The one public shape of a user (API.md: `user`). */
export class UserDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'jane@example.com', maxLength: 255 })
  email: string;

  @ApiProperty({ example: 'Jane Doe', maxLength: 100 })
  name: string;

  @ApiProperty({ enum: ['user', 'admin'] })
  role: UserRole;

  @ApiProperty({ type: String, nullable: true, maxLength: 255, example: 'K7M2Q9XD' })
  referralCode: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}
