import { ApiProperty } from '@nestjs/swagger';

export class ReferralCodeDto {
  @ApiProperty({ example: '7K3QXW9M', description: '8 characters of Crockford base32' })
  code: string;

  @ApiProperty({ example: 'https://refer.example.com/r/7K3QXW9M', description: 'The short link: {PUBLIC_URL}/r/{code}' })
  url: string;
}
