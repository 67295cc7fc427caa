import { Body, Controller, Get, HttpCode, HttpStatus, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { clientSignals } from '../common/http/client-signals';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import { UserDto } from '../users/dto/user.dto';
import { AuthUser } from './auth-user';
import { AuthService } from './auth.service';
import { CurrentUser } from './current-user.decorator';
import { LoginResponseDto, VerifyEmailCodeResponseDto } from './dto/auth-response.dto';
import { LoginDto } from './dto/login.dto';
import { SignUpDto, SignUpResponseDto } from './dto/sign-up.dto';
import { ResendCodeDto, VerifyEmailCodeDto } from './dto/verify-email-code.dto';
import { JwtAuthGuard } from './guards/jwt-auth.guard';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('sign-up')
  @HttpCode(HttpStatus.ACCEPTED)
  @RateLimit('sign-up')
  @ApiOperation({ summary: 'Sign up: mails a 6-digit code to confirm the email' })
  @ApiResponse({ status: 202, type: SignUpResponseDto, description: 'A 6-digit code is mailed' })
  @ApiErrors({ 400: 'VALIDATION_FAILED or INVALID_REFERRAL_CODE', 409: 'EMAIL_TAKEN' })
  signUp(@Body() body: SignUpDto, @Req() req: Request): Promise<SignUpResponseDto> {
    const cookie: unknown = req.cookies?.ref;
    return this.auth.signUp(body, typeof cookie === 'string' ? cookie : undefined, clientSignals(req));
  }

  @Post('verify-email-code')
  @RateLimit('verify')
  @ApiOperation({ summary: 'Confirm the email with its code: creates the account and signs in' })
  @ApiResponse({ status: 201, type: VerifyEmailCodeResponseDto, description: 'The account, a token and the referral outcome' })
  @ApiErrors({
    400: 'VALIDATION_FAILED, INVALID_CODE or CODE_EXPIRED',
    429: 'TOO_MANY_ATTEMPTS: 5 wrong codes lock it; resend issues a new one',
  })
  verifyEmailCode(@Body() body: VerifyEmailCodeDto, @Req() req: Request): Promise<VerifyEmailCodeResponseDto> {
    return this.auth.verifyEmailCode(body, clientSignals(req));
  }

  @Post('resend-code')
  @HttpCode(HttpStatus.ACCEPTED)
  @RateLimit('resend')
  @ApiOperation({ summary: 'Mail a new code for a pending sign-up' })
  @ApiResponse({ status: 202, type: SignUpResponseDto, description: 'Always, whether or not the email is pending' })
  resendCode(@Body() body: ResendCodeDto): Promise<SignUpResponseDto> {
    return this.auth.resendCode(body.email);
  }

  @Post('login')
  @HttpCode(HttpStatus.OK)
  @RateLimit('login')
  @ApiOperation({ summary: 'Log in with email and password' })
  @ApiOkResponse({ type: LoginResponseDto, description: 'A token and the account' })
  @ApiErrors({ 401: 'INVALID_CREDENTIALS' })
  login(@Body() body: LoginDto): Promise<LoginResponseDto> {
    return this.auth.login(body);
  }

  @Get('me')
  @UseGuards(JwtAuthGuard)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in account' })
  @ApiOkResponse({ type: UserDto, description: 'The account of the token' })
  @ApiErrors({ 401: 'UNAUTHORIZED', 404: 'USER_NOT_FOUND: the account of the token no longer exists' })
  me(@CurrentUser() user: AuthUser): Promise<UserDto> {
    return this.auth.me(user.id);
  }
}
