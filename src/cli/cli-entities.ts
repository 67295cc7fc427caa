import { PendingSignupEntity } from '../auth/accounts/entities/pending-signup.entity';
import { LevelConfigEntity } from '../levels/entities/level-config.entity';
import { PointBalanceEntity } from '../points/entities/point-balance.entity';
import { PointTransactionEntity } from '../points/entities/point-transaction.entity';
import { ReferralEntity } from '../referrals/entities/referral.entity';
import { UserEntity } from '../users/entities/user.entity';
import { WebhookDeliveryEntity } from '../webhooks/entities/webhook-delivery.entity';
import { WebhookEndpointEntity } from '../webhooks/entities/webhook-endpoint.entity';
import { WebhookEventEntity } from '../webhooks/entities/webhook-event.entity';

/**
 * Every module's entities, for the CLI's DataSource (built outside Nest). In the app each module
 * registers its own with `TypeOrmModule.forFeature`; cli-entities.spec.ts keeps this list complete.
 */
export const cliEntities = [UserEntity, ReferralEntity, PointTransactionEntity, PointBalanceEntity, LevelConfigEntity, PendingSignupEntity, WebhookEndpointEntity, WebhookEventEntity, WebhookDeliveryEntity];
