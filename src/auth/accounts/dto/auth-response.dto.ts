import { ApiProperty } from '@nestjs/swagger';
import { UserDto } from '../../../users/dto/user.dto';

export class ReferralOutcomeDto {
  @ApiProperty({ enum: ['pending', 'flagged', 'rejected'] })
  status: 'pending' | 'flagged' | 'rejected';

  @ApiProperty({ type: [String], enum: ['SELF_REFERRAL', 'REFERRER_DELETED', 'SAME_IP', 'SAME_DEVICE', 'VELOCITY'], maxItems: 5, example: ['SAME_IP'] })
  reasons: string[];
}

export class LoginResponseDto {
  @ApiProperty({ description: 'A bearer token (HS256 JWT, 1 hour)' })
  accessToken: string;

  @ApiProperty({ type: UserDto })
  user: UserDto;
}

export class VerifyEmailCodeResponseDto extends LoginResponseDto {
  @ApiProperty({ type: ReferralOutcomeDto, nullable: true })
  referral: ReferralOutcomeDto | null;
}
