import { PendingSignupEntity } from '../auth/accounts/entities/pending-signup.entity';
import { LevelConfigEntity } from '../levels/entities/level-config.entity';
import { PointTransactionEntity } from '../points/entities/point-transaction.entity';
import { ReferralEntity } from '../referrals/entities/referral.entity';
import { UserEntity } from '../users/entities/user.entity';

export const entities = [UserEntity, ReferralEntity, PointTransactionEntity, LevelConfigEntity, PendingSignupEntity];
