import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { clientSignals } from '../common/http/client-signals';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import { UserDto } from '../users/dto/user.dto';
import { AuthUser } from './auth-user';
import { AccountClosureService } from './account-closure.service';
import { AuthService } from './auth.service';
import { CurrentUser } from './current-user.decorator';
import { LoginResponseDto, VerifyEmailCodeResponseDto } from './dto/auth-response.dto';
import { LoginDto } from './dto/login.dto';
import { ForgotPasswordDto, ResetPasswordDto } from './dto/reset-password.dto';
import { SignUpDto, SignUpResponseDto } from './dto/sign-up.dto';
import { ResendCodeDto, VerifyEmailCodeDto } from './dto/verify-email-code.dto';
import { JwtAuthGuard } from './guards/jwt-auth.guard';
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
  @ApiResponse({ status: 202, type: SignUpResponseDto, description: 'A 6-digit code is mailed' })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED or INVALID_REFERRAL_CODE' })
  @ApiResponse({ status: 409, description: 'EMAIL_TAKEN' })
  @ApiResponse({ status: 429, description: 'RATE_LIMITED' })
  signUp(@Body() body: SignUpDto, @Req() req: Request): Promise<SignUpResponseDto> {
    const cookie: unknown = req.cookies?.ref;
    return this.auth.signUp(body, typeof cookie === 'string' ? cookie : undefined, clientSignals(req));
  }

  @Post('verify-email-code')
  @RateLimit('verify')
  @ApiResponse({ status: 201, type: VerifyEmailCodeResponseDto })
  @ApiResponse({ status: 400, description: 'INVALID_CODE or CODE_EXPIRED' })
  @ApiResponse({
    status: 429,
    description: 'TOO_MANY_ATTEMPTS: 5 wrong codes lock that code (resend issues a new one); 10 wrong codes an hour lock the email until the hour has passed (Retry-After)',
  })
  verifyEmailCode(@Body() body: VerifyEmailCodeDto, @Req() req: Request): Promise<VerifyEmailCodeResponseDto> {
    return this.auth.verifyEmailCode(body, clientSignals(req));
  }

  @Post('resend-code')
  @HttpCode(HttpStatus.ACCEPTED)
  @RateLimit('resend')
  @ApiResponse({ status: 202, type: SignUpResponseDto, description: 'Always, whether or not the email is pending' })
  resendCode(@Body() body: ResendCodeDto): Promise<SignUpResponseDto> {
    return this.auth.resendCode(body.email);
  }

  @Post('login')
  @HttpCode(HttpStatus.OK)
  @RateLimit('login')
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiResponse({ status: 401, description: 'INVALID_CREDENTIALS' })
  @ApiResponse({ status: 429, description: 'RATE_LIMITED: too many log-ins from this IP, or failed ones for this account from clients it has not logged in from' })
  login(@Body() body: LoginDto, @Req() req: Request): Promise<LoginResponseDto> {
    return this.auth.login(body, clientSignals(req));
  }

  @Post('forgot-password')
  @HttpCode(HttpStatus.ACCEPTED)
  @RateLimit('forgot-password')
  @ApiResponse({ status: 202, type: SignUpResponseDto, description: 'Always, whether or not the account exists; a 6-digit code is mailed when it does' })
  @ApiResponse({ status: 429, description: 'RATE_LIMITED' })
  forgotPassword(@Body() body: ForgotPasswordDto): Promise<SignUpResponseDto> {
    return this.resets.forgotPassword(body.email);
  }

  @Post('reset-password')
  @HttpCode(HttpStatus.OK)
  @RateLimit('reset-password')
  @ApiOkResponse({ type: LoginResponseDto, description: 'The new password is set; tokens issued before stop working' })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED, INVALID_CODE or CODE_EXPIRED' })
  @ApiResponse({ status: 429, description: 'TOO_MANY_ATTEMPTS (the same code rules as sign-up) or RATE_LIMITED' })
  resetPassword(@Body() body: ResetPasswordDto): Promise<LoginResponseDto> {
    return this.resets.resetPassword(body);
  }

  @Get('me')
  @UseGuards(JwtAuthGuard)
  @ApiBearerAuth()
  @ApiOkResponse({ type: UserDto })
  @ApiResponse({ status: 401, description: 'UNAUTHORIZED' })
  me(@CurrentUser() user: AuthUser): Promise<UserDto> {
    return this.auth.me(user.id);
  }

  @Delete('me')
  @HttpCode(HttpStatus.NO_CONTENT)
  @UseGuards(JwtAuthGuard)
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'The account is closed: email and name anonymised, tokens and sockets revoked, referral code dead; the ledger stays' })
  @ApiResponse({ status: 401, description: 'UNAUTHORIZED' })
  closeAccount(@CurrentUser() user: AuthUser): Promise<void> {
    return this.closure.close(user.id);
  }
}
