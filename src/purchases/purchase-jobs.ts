import { NoPayload } from '../jobs/job-catalogue';

/** pg-boss queues of the purchase pipeline; each job's data names the purchase by its id. */
export const PURCHASE_REWARD_JOB = 'purchase-reward';
export const PURCHASE_REFUND_JOB = 'purchase-refund';
export const PURCHASE_RELEASE_JOB = 'purchase-release';
export const REFUND_SWEEP_JOB = 'purchase-refund-sweep';
export const ACTIVE_REFERRALS_JOB = 'referrals-active-refresh';
export const ACTIVE_REFERRER_JOB = 'referrals-active-refresh-referrer';

export interface PurchaseJobData {
  purchaseId: string;
}

declare module '../jobs/job-catalogue' {
  interface JobPayloads {
    [PURCHASE_REWARD_JOB]: PurchaseJobData;
    [PURCHASE_REFUND_JOB]: PurchaseJobData;
    [PURCHASE_RELEASE_JOB]: PurchaseJobData;
    [REFUND_SWEEP_JOB]: NoPayload;
    [ACTIVE_REFERRALS_JOB]: NoPayload;
    [ACTIVE_REFERRER_JOB]: { referrerId: string };
  }
}
