/** Every action the audit log records: `?action=` accepts exactly these. */
export const AUDIT_ACTIONS = [
  'points.added',
  'points.deducted',
  'referral.approved',
  'referral.rejected',
  'user.promoted',
  'user.demoted',
  'webhook.created',
  'webhook.updated',
  'webhook.deleted',
  'rules.created',
  'rules.withdrawn',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditTargetType = 'user' | 'referral' | 'webhook' | 'rules';
