import { CreateUsers1763700000000 } from '../../migrations/1763700000000-CreateUsers';
import { CreateReferrals1763700000100 } from '../../migrations/1763700000100-CreateReferrals';
import { CreatePointTransactions1763700000200 } from '../../migrations/1763700000200-CreatePointTransactions';
import { CreateLevelConfigs1763700000300 } from '../../migrations/1763700000300-CreateLevelConfigs';

/** Listed explicitly so that the compiled app, the CLI and the tests load the same set. */
export const migrations = [
  CreateUsers1763700000000,
  CreateReferrals1763700000100,
  CreatePointTransactions1763700000200,
  CreateLevelConfigs1763700000300,
];
