import { CreateUsers1763700000000 } from '../../migrations/1763700000000-CreateUsers';
import { CreateRateLimits1763700050000 } from '../../migrations/1763700050000-CreateRateLimits';
import { CreateReferrals1763700000100 } from '../../migrations/1763700000100-CreateReferrals';
import { CreatePointTransactions1763700000200 } from '../../migrations/1763700000200-CreatePointTransactions';
import { CreateLevelConfigs1763700000300 } from '../../migrations/1763700000300-CreateLevelConfigs';
import { CreatePendingSignups1763700100000 } from '../../migrations/1763700100000-CreatePendingSignups';
import { CreateReferralClicks1763700150000 } from '../../migrations/1763700150000-CreateReferralClicks';
import { CreateSocketIoAttachments1763700150100 } from '../../migrations/1763700150100-CreateSocketIoAttachments';
import { CreateLedgerExtras1763700200000 } from '../../migrations/1763700200000-CreateLedgerExtras';
import { CreatePurchases1763700300000 } from '../../migrations/1763700300000-CreatePurchases';
import { FollowTotalEarnedFromLedger1763700500000 } from '../../migrations/1763700500000-FollowTotalEarnedFromLedger';
import { CreateReferralRankCounts1763700500100 } from '../../migrations/1763700500100-CreateReferralRankCounts';
import { LightenReferralClicks1763700500200 } from '../../migrations/1763700500200-LightenReferralClicks';
import { IndexHeldAwards1763700500300 } from '../../migrations/1763700500300-IndexHeldAwards';
import { DropEmailCanonical1763700500400 } from '../../migrations/1763700500400-DropEmailCanonical';
import { AddPointsSeq1763800100000 } from '../../migrations/1763800100000-AddPointsSeq';
import { CreateAccountSecurity1763800400000 } from '../../migrations/1763800400000-CreateAccountSecurity';
import { ContestedSignups1763800400100 } from '../../migrations/1763800400100-ContestedSignups';
import { CreatePointBalances1763900000000 } from '../../migrations/1763900000000-CreatePointBalances';
import { CreatePointsLevel1763900000100 } from '../../migrations/1763900000100-CreatePointsLevel';
import { CreatePurchaseAwards1763900100010 } from '../../migrations/1763900100010-CreatePurchaseAwards';
import { CreateReferralStats1763900100020 } from '../../migrations/1763900100020-CreateReferralStats';
import { CreateWebhooks1763900300000 } from '../../migrations/1763900300000-CreateWebhooks';
import { CreateAuditLog1763900400000 } from '../../migrations/1763900400000-CreateAuditLog';
import { IndexAdminLookups1763900400001 } from '../../migrations/1763900400001-IndexAdminLookups';
import { CreateRewardRuleVersions1763900500000 } from '../../migrations/1763900500000-CreateRewardRuleVersions';
import { CreatePointLots1763900600000 } from '../../migrations/1763900600000-CreatePointLots';
import { AddLevelWindows1763900700000 } from '../../migrations/1763900700000-AddLevelWindows';
import { BatchedBalanceSeq1763900750000 } from '../../migrations/1763900750000-BatchedBalanceSeq';
import { SlimReferralClicks1763900800000 } from '../../migrations/1763900800000-SlimReferralClicks';

/** Listed explicitly so that the compiled app, the CLI and the tests load the same set. */
export const migrations = [
  CreateUsers1763700000000,
  CreateReferrals1763700000100,
  CreatePointTransactions1763700000200,
  CreateLevelConfigs1763700000300,
  CreateRateLimits1763700050000,
  CreatePendingSignups1763700100000,
  CreateReferralClicks1763700150000,
  CreateSocketIoAttachments1763700150100,
  CreateLedgerExtras1763700200000,
  CreatePurchases1763700300000,
  FollowTotalEarnedFromLedger1763700500000,
  CreateReferralRankCounts1763700500100,
  LightenReferralClicks1763700500200,
  IndexHeldAwards1763700500300,
  DropEmailCanonical1763700500400,
  AddPointsSeq1763800100000,
  CreateAccountSecurity1763800400000,
  ContestedSignups1763800400100,
  CreatePointBalances1763900000000,
  CreatePointsLevel1763900000100,
  CreatePurchaseAwards1763900100010,
  CreateReferralStats1763900100020,
  CreateWebhooks1763900300000,
  CreateAuditLog1763900400000,
  IndexAdminLookups1763900400001,
  CreateRewardRuleVersions1763900500000,
  CreatePointLots1763900600000,
  AddLevelWindows1763900700000,
  BatchedBalanceSeq1763900750000,
  SlimReferralClicks1763900800000,
];
