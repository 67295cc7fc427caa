import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditActor, AuditLog } from '../audit/audit-log';
import { CommonErrorCode, CommonException } from '../common/errors/common.exception';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { UnitOfWork } from '../database/unit-of-work';
import { CreateRewardRulesDto, PreviewRewardsDto, RewardPreviewDto, RewardRulesDraftDto, RewardRulesListDto, RewardRulesVersionDto } from './dto/reward-rules.dto';
import { PurchasesErrorCode, PurchasesException } from './purchases.exception';
import { RewardRuleVersionsRepository, RuleVersion } from './reward-rule-versions.repository';
import { planAwards, RuleSet } from './reward-rules';

const READ_COMMITTED = { isolation: 'READ COMMITTED' } as const;
/** A version sent with effectiveFrom "now" reaches the server a little later; this much in the past still means now. */
const CLOCK_SLACK_MS = 60_000;

interface RewardedAt {
  completedAt: Date;
  createdAt: Date;
}

const rewardedAt = (p: RewardedAt): Date => (p.completedAt < p.createdAt ? p.completedAt : p.createdAt);

/** The versions of the reward rules: seeded from REWARD_*, created and withdrawn by admins, in force by date. */
@Injectable()
export class RewardRulesService implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly repository: RewardRuleVersionsRepository,
    private readonly audit: AuditLog,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.repository.seed(this.dataSource.manager, this.config.rewards);
  }

  /**
   * The version a purchase is rewarded under: the one in force at its completedAt, or when it was
   * accepted if the shop's clock put completedAt ahead. A version in force when the purchase was
   * accepted can no longer be withdrawn, so every run of the reward job finds the same one.
   */
  versionFor(m: EntityManager, purchase: RewardedAt): Promise<RuleVersion> {
    return this.versionAt(m, rewardedAt(purchase));
  }

  /** `versionFor` of each purchase, in one read, in the order given. */
  async versionsFor(m: EntityManager, purchases: RewardedAt[]): Promise<RuleVersion[]> {
    const moments = purchases.map(rewardedAt);
    let versions = await this.repository.inForceAtEach(m, moments);
    if (versions.some((v) => v === null)) {
      await this.repository.seed(this.dataSource.manager, this.config.rewards);
      versions = await this.repository.inForceAtEach(m, moments);
    }
    return versions as RuleVersion[];
  }

  async versionAt(m: EntityManager, at: Date): Promise<RuleVersion> {
    const version = await this.repository.inForceAt(m, at);
    if (version) return version;
    // Only before the seed has run (it runs at start-up, before the workers).
    await this.repository.seed(this.dataSource.manager, this.config.rewards);
    return (await this.repository.inForceAt(m, at))!;
  }

  async list(): Promise<RewardRulesListDto> {
    const now = new Date();
    const versions = (await this.repository.all(this.dataSource.manager)).filter((v) => v.withdrawnAt === null);
    const effective = versions.filter((v) => v.effectiveFrom <= now);
    const active = effective.at(-1) ?? null;
    return {
      active: active && toDto(active),
      scheduled: versions.filter((v) => v.effectiveFrom > now).map(toDto),
      history: effective.slice(0, -1).reverse().map(toDto),
    };
  }

  async create(input: CreateRewardRulesDto, actor: { id: string; requestId?: string }): Promise<RewardRulesVersionDto> {
    let effectiveFrom: Date | null = null;
    if (input.effectiveFrom !== undefined) {
      effectiveFrom = new Date(input.effectiveFrom);
      if (Number.isNaN(effectiveFrom.getTime())) throw invalid('effectiveFrom must be an ISO 8601 date-time');
      if (effectiveFrom.getTime() < Date.now() - CLOCK_SLACK_MS) throw invalid('effectiveFrom must not be in the past');
    }
    const version = await this.uow.run(async ({ manager }) => {
      // Versions are numbered in order of creation; creating them one at a time keeps max + 1 free of races.
      await manager.query(`LOCK TABLE reward_rule_versions IN SHARE ROW EXCLUSIVE MODE`);
      const version = await this.repository.insert(manager, {
        ...ruleSetOf(input),
        maxCommissionPerReferral: input.maxCommissionPerReferral ?? null,
        effectiveFrom,
        createdBy: actor.id,
        note: input.note ?? null,
      });
      await this.audit.record(manager, { actor, action: 'rules.created', targetType: 'rules', targetId: String(version.version), after: auditView(version) });
      return version;
    }, READ_COMMITTED);
    return toDto(version);
  }

  async withdraw(version: number, actor: AuditActor): Promise<void> {
    await this.uow.run(async ({ manager }) => {
      const current = await this.repository.find(manager, version, true);
      if (!current || current.withdrawnAt) throw notFound(version);
      const withdrawn = await this.repository.withdraw(manager, version);
      if (!withdrawn) throw new PurchasesException(PurchasesErrorCode.RULES_IN_FORCE, `Version ${version} is in force or was; only a scheduled version can be withdrawn`);
      await this.audit.record(manager, {
        actor,
        action: 'rules.withdrawn',
        targetType: 'rules',
        targetId: String(version),
        before: auditView(current),
        after: auditView(withdrawn),
      });
    }, READ_COMMITTED);
  }

  private async previewedVersion(version: number | undefined, now: Date): Promise<RuleVersion> {
    const m = this.dataSource.manager;
    const found = version === undefined ? await this.versionAt(m, now) : await this.repository.find(m, version);
    if (!found || found.withdrawnAt) throw notFound(version!);
    return found;
  }

  /** What a purchase by a referee signed up now (with a second-level referrer) earns: the worker's own rule function. */
  async preview(input: PreviewRewardsDto): Promise<RewardPreviewDto> {
    if (input.rules && input.version !== undefined) throw invalid('Send either version or rules, not both');
    const now = new Date();
    const rules = input.rules ? ruleSetOf(input.rules) : await this.previewedVersion(input.version, now);
    const purchase = { id: 'preview', orderId: 'preview', userId: 'referee', amount: input.amount, completedAt: now, createdAt: now };
    const chain = {
      referral: { id: 'referral', status: 'pending' as const, referrerId: 'referrer', createdAt: now },
      parent: { id: 'parent', status: 'pending' as const, referrerId: 'second-level', createdAt: now },
    };
    const awards = planAwards(rules, purchase, chain, input.firstPurchase);
    return {
      version: input.rules ? null : (rules as RuleVersion).version,
      awards: awards.map((a) => ({ role: a.role, level: a.level, points: a.amount, heldUntil: a.releaseAfter?.toISOString() ?? null })),
    };
  }
}

/** A version's fields as sent (percentages) as the rule function takes them (basis points). */
function ruleSetOf(d: RewardRulesDraftDto): RuleSet {
  return {
    refereeBonus: d.refereeBonus,
    referrerBonus: d.referrerBonus,
    commissionBasisPoints: Math.round(d.commissionPercent * 100),
    secondLevelBasisPoints: Math.round(d.secondLevelPercent * 100),
    minPurchaseAmount: d.minPurchaseAmount,
    commissionWindowMonths: d.commissionWindowMonths,
    holdingDays: d.holdingDays,
    maxCommissionPerReferral: d.maxCommissionPerReferral ?? null,
  };
}

function invalid(message: string) {
  return new CommonException(CommonErrorCode.VALIDATION_FAILED, message);
}

function notFound(version: number) {
  return new PurchasesException(PurchasesErrorCode.RULES_VERSION_NOT_FOUND, `No reward rules version ${version}`);
}

function auditView(v: RuleVersion): Record<string, unknown> {
  const { createdAt: _createdAt, ...dto } = toDto(v);
  return { ...dto, withdrawnAt: v.withdrawnAt?.toISOString() ?? null };
}

export function toDto(v: RuleVersion): RewardRulesVersionDto {
  return {
    version: v.version,
    refereeBonus: v.refereeBonus,
    referrerBonus: v.referrerBonus,
    commissionPercent: v.commissionBasisPoints / 100,
    secondLevelPercent: v.secondLevelBasisPoints / 100,
    minPurchaseAmount: v.minPurchaseAmount,
    commissionWindowMonths: v.commissionWindowMonths,
    holdingDays: v.holdingDays,
    maxCommissionPerReferral: v.maxCommissionPerReferral,
    effectiveFrom: v.effectiveFrom.toISOString(),
    createdBy: v.createdBy,
    createdAt: v.createdAt.toISOString(),
    note: v.note,
  };
}
