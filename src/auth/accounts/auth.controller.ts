import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { clientSignals } from '../../common/http/client-signals';
import { ApiErrors } from '../../openapi/api-errors.decorator';
import { RateLimit } from '../../rate-limit/rate-limit.decorator';
import { UserDto } from '../../users/dto/user.dto';
import { AuthUser } from '../core/auth-user';
import { AccountClosureService } from './account-closure.service';
import { AuthService } from './auth.service';
import { CurrentUser } from '../core/current-user.decorator';
import { LoginResponseDto, VerifyEmailCodeResponseDto } from './dto/auth-response.dto';
import { LoginDto } from './dto/login.dto';
import { ForgotPasswordDto, ResetPasswordDto } from './dto/reset-password.dto';
import { SignUpDto, SignUpResponseDto } from './dto/sign-up.dto';
import { ResendCodeDto, VerifyEmailCodeDto } from './dto/verify-email-code.dto';
import { JwtAuthGuard } from '../core/guards/jwt-auth.guard';
import { PasswordResetService } from './password-reset.service';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly resets: PasswordResetService,
    private readonly closure: AccountClosureService,
  ) {}

  @Post('sign-up')
  @HttpCode(HttpStatus.ACCEPTED)
  @RateLimit('sign-up')
  @ApiOperation({ summary: 'Sign up: mails a 6-digit code to confirm the email' })
  @ApiResponse({ status: 202, type: SignUpResponseDto, description: 'A 6-digit code is mailed (a repeat for a pending email re-sends one for the first sign-up)' })
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
    429: 'TOO_MANY_ATTEMPTS: 5 wrong codes lock that code (resend issues a new one); 10 wrong codes an hour lock the email until the hour has passed (Retry-After)',
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
  @ApiErrors({
    401: 'INVALID_CREDENTIALS',
    429: 'RATE_LIMITED: too many log-ins from this IP, or failed ones for this account from clients it has not logged in from',
  })
  login(@Body() body: LoginDto, @Req() req: Request): Promise<LoginResponseDto> {
    return this.auth.login(body, clientSignals(req));
  }

  @Post('forgot-password')
  @HttpCode(HttpStatus.ACCEPTED)
  @RateLimit('forgot-password')
  @ApiOperation({ summary: 'Mail a password-reset code' })
  @ApiResponse({ status: 202, type: SignUpResponseDto, description: 'Always, whether or not the account exists; a 6-digit code is mailed when it does' })
  forgotPassword(@Body() body: ForgotPasswordDto): Promise<SignUpResponseDto> {
    return this.resets.forgotPassword(body.email);
  }

  @Post('reset-password')
  @HttpCode(HttpStatus.OK)
  @RateLimit('reset-password')
  @ApiOperation({ summary: 'Set a new password with a reset code: signs in, older tokens stop working' })
  @ApiOkResponse({ type: LoginResponseDto, description: 'The new password is set; tokens issued before stop working' })
  @ApiErrors({
    400: 'VALIDATION_FAILED, INVALID_CODE or CODE_EXPIRED',
    429: 'TOO_MANY_ATTEMPTS (the same code rules as sign-up) or RATE_LIMITED',
  })
  resetPassword(@Body() body: ResetPasswordDto): Promise<LoginResponseDto> {
    return this.resets.resetPassword(body);
  }

  @Get('me')
  @UseGuards(JwtAuthGuard)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in account' })
  @ApiOkResponse({ type: UserDto, description: 'The account of the token' })
  @ApiErrors({ 401: 'UNAUTHORIZED' })
  me(@CurrentUser() user: AuthUser): Promise<UserDto> {
    return this.auth.me(user.id);
  }

  @Delete('me')
  @HttpCode(HttpStatus.NO_CONTENT)
  @UseGuards(JwtAuthGuard)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Close the account' })
  @ApiNoContentResponse({ description: 'The account is closed: email and name anonymised, tokens and sockets revoked, referral code dead; the ledger stays' })
  @ApiErrors({ 401: 'UNAUTHORIZED' })
  closeAccount(@CurrentUser() user: AuthUser): Promise<void> {
    return this.closure.close(user.id);
  }
}
