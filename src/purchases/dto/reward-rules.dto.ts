import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsCurrencyCode } from '../../common/http/currency-codes';
import { IsBoolean, IsInt, IsISO8601, IsNumber, IsOptional, IsString, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';

const PERCENT = { allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 };
const percentMessage = (name: string) => ({ message: `${name} must be a number from 0 to 100 with at most 2 decimals` });
const bonusMessage = (name: string) => ({ message: `${name} must be an integer from 0 to 1000000` });

export class CreateRewardRulesDto {
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 1_000_000, description: "Points for the referee on its first completed purchase" })
  @IsInt(bonusMessage('refereeBonus')) @Min(0, bonusMessage('refereeBonus')) @Max(1_000_000, bonusMessage('refereeBonus'))
  refereeBonus: number;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: 1_000_000, description: 'Points for the referrer on that purchase' })
  @IsInt(bonusMessage('referrerBonus')) @Min(0, bonusMessage('referrerBonus')) @Max(1_000_000, bonusMessage('referrerBonus'))
  referrerBonus: number;

  @ApiProperty({ minimum: 0, maximum: 100, multipleOf: 0.01, description: "Referrer's commission on every purchase, 1 point per cent (floor)" })
  @IsNumber(PERCENT, percentMessage('commissionPercent')) @Min(0, percentMessage('commissionPercent')) @Max(100, percentMessage('commissionPercent'))
  commissionPercent: number;

  @ApiProperty({ minimum: 0, maximum: 100, multipleOf: 0.01, description: "The referrer's own referrer's commission" })
  @IsNumber(PERCENT, percentMessage('secondLevelPercent')) @Min(0, percentMessage('secondLevelPercent')) @Max(100, percentMessage('secondLevelPercent'))
  secondLevelPercent: number;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: 1_000_000_000, description: 'Cents; smaller purchases earn no first-purchase bonuses' })
  @IsInt() @Min(0) @Max(1_000_000_000)
  minPurchaseAmount: number;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: 1200, description: "Commissions only within N months of the referee's sign-up; 0 = forever" })
  @IsInt() @Min(0) @Max(1200)
  commissionWindowMonths: number;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: 365, description: 'Awards stay pending this long before they can be spent' })
  @IsInt() @Min(0) @Max(365)
  holdingDays: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 1_000_000_000, nullable: true, description: 'Caps the commission points one referee can earn its referrer; null or absent: no cap' })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsInt() @Min(0) @Max(1_000_000_000)
  maxCommissionPerReferral?: number | null;

  @ApiPropertyOptional({ format: 'date-time', description: 'When the version takes effect; not in the past; absent: now' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'effectiveFrom must be an ISO 8601 date-time' })
  effectiveFrom?: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional() @IsString() @MaxLength(500)
  note?: string;
}

export class RewardRulesVersionDto {
  @ApiProperty({ type: 'integer', minimum: 1 }) version: number;
  @ApiProperty({ type: 'integer' }) refereeBonus: number;
  @ApiProperty({ type: 'integer' }) referrerBonus: number;
  @ApiProperty() commissionPercent: number;
  @ApiProperty() secondLevelPercent: number;
  @ApiProperty({ type: 'integer' }) minPurchaseAmount: number;
  @ApiProperty({ type: 'integer' }) commissionWindowMonths: number;
  @ApiProperty({ type: 'integer' }) holdingDays: number;
  @ApiProperty({ type: 'integer', nullable: true }) maxCommissionPerReferral: number | null;
  @ApiProperty({ format: 'date-time' }) effectiveFrom: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, description: 'The admin who created it; null: seeded from the configuration' })
  createdBy: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: 'string', nullable: true }) note: string | null;
}

export class RewardRulesListDto {
  @ApiProperty({ type: RewardRulesVersionDto, nullable: true, description: 'The version in force now' }) active: RewardRulesVersionDto | null;
  @ApiProperty({ type: [RewardRulesVersionDto], description: 'Versions taking effect later, soonest first' }) scheduled: RewardRulesVersionDto[];
  @ApiProperty({ type: [RewardRulesVersionDto], description: 'Versions superseded, newest first (withdrawn ones are not listed: they never applied)' })
  history: RewardRulesVersionDto[];
}

/** A version's rules before it is created: what the new-version form previews. */
export class RewardRulesDraftDto extends OmitType(CreateRewardRulesDto, ['effectiveFrom', 'note'] as const) {}

export class PreviewRewardsDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 1_000_000_000, description: 'Cents' })
  @IsInt() @Min(1) @Max(1_000_000_000)
  amount: number;

  @ApiProperty({ example: 'USD', minLength: 3, maxLength: 3, pattern: '^[A-Z]{3}$', description: 'ISO 4217, three upper-case letters' })
  @IsString() @IsCurrencyCode()
  currency: string;

  @ApiProperty({ description: "Whether it is the referee's first purchase (the one that converts the referral)" })
  @IsBoolean()
  firstPurchase: boolean;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'The version to run; absent: the one in force now' })
  @IsOptional() @IsInt() @Min(1) @Max(2_147_483_647)
  version?: number;

  @ApiPropertyOptional({ type: RewardRulesDraftDto, description: 'Rules not created yet, run instead of a version (not with `version`)' })
  @IsOptional() @ValidateNested() @Type(() => RewardRulesDraftDto)
  rules?: RewardRulesDraftDto;
}

export class PreviewAwardDto {
  @ApiProperty({ enum: ['referee', 'referrer', 'commission'] }) role: string;
  @ApiProperty({ type: 'integer', enum: [0, 1, 2] }) level: number;
  @ApiProperty({ type: 'integer', minimum: 1 }) points: number;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, description: 'Pending until then (the holding period); null: spendable at once' })
  heldUntil: string | null;
}

export class RewardPreviewDto {
  @ApiProperty({ type: 'integer', nullable: true, description: 'The version run; null for draft `rules`' }) version: number | null;
  @ApiProperty({ type: [PreviewAwardDto], description: 'What a purchase by a referee (with a second-level referrer) earns, signed up now, before any commission' })
  awards: PreviewAwardDto[];
}
