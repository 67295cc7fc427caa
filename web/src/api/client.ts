import { clearToken, deviceId, getToken } from './session';
import type {
  AdminAddPointsResult, AdminReferral, AdminUser, AdminUserDetail, Analytics, AuditAction, AuditEntry, CreatedWebhookEndpoint,
  Leaderboard, MyPoints, NewRewardRules, NotificationPage, Page, PointTransaction, RedeemResult, ReferralPage, RewardPreview,
  RewardRulesList, RewardRulesVersion, RewardType, SessionResult,
  TransactionType, User, WebhookDelivery, WebhookEndpoint,
} from './types';

/** API.md's error shape: `{ statusCode, code, message }`; `details` holds each message of a validation error. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
    readonly details: string[] = [message],
  ) {
    super(message);
  }
}

type Query = Record<string, string | number | boolean | undefined | null>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

let onUnauthorized: () => void = () => undefined;

/** What to do when a signed-in call comes back 401 (the token expired or was revoked). */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

async function call<T>(method: string, path: string, options: { body?: unknown; query?: Query; headers?: Record<string, string> } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'X-Device-Id': deviceId(), ...options.headers };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(withQuery(path, options.query), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'The server could not be reached. Check your connection and try again.');
  }
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) {
    if (res.status === 401 && token) {
      clearToken();
      onUnauthorized();
    }
    const raw = data?.message;
    const message = Array.isArray(raw) ? raw.join('; ') : typeof raw === 'string' ? raw : res.statusText || 'Request failed';
    throw new ApiError(res.status, data?.code, message, Array.isArray(raw) ? raw.map(String) : [message]);
  }
  return data as T;
}

const idempotent = () => ({ 'Idempotency-Key': crypto.randomUUID() });

export const api = {
  signUp: (body: { name: string; email: string; password: string; referralCode?: string }) =>
    call<{ status: string; email: string }>('POST', '/api/auth/sign-up', { body }),
  verifyCode: (email: string, code: string) => call<SessionResult>('POST', '/api/auth/verify-email-code', { body: { email, code } }),
  resendCode: (email: string) => call<void>('POST', '/api/auth/resend-code', { body: { email } }),
  login: (email: string, password: string) => call<SessionResult>('POST', '/api/auth/login', { body: { email, password } }),
  forgotPassword: (email: string) => call<void>('POST', '/api/auth/forgot-password', { body: { email } }),
  resetPassword: (email: string, code: string, password: string) =>
    call<SessionResult>('POST', '/api/auth/reset-password', { body: { email, code, password } }),
  me: () => call<User>('GET', '/api/auth/me'),
  closeAccount: () => call<void>('DELETE', '/api/auth/me'),

  myPoints: () => call<MyPoints>('GET', '/api/points/my-points'),
  transactions: (query: { cursor?: string | null; type?: TransactionType | ''; limit?: number }) =>
    call<Page<PointTransaction>>('GET', '/api/points/transactions', { query }),
  referrals: (query: { cursor?: string | null; limit?: number }) => call<ReferralPage>('GET', '/api/points/referrals', { query }),
  generateReferralCode: () => call<{ code: string; url: string }>('POST', '/api/points/generate-referral-code'),
  leaderboard: () => call<Leaderboard>('GET', '/api/points/leaderboard', { query: { limit: 10 } }),
  redeem: (amount: number, reward: RewardType) =>
    call<RedeemResult>('POST', '/api/points/redeem', { body: { amount, reward }, headers: idempotent() }),

  notifications: (query: { cursor?: string | null; limit?: number }) => call<NotificationPage>('GET', '/api/notifications', { query }),
  readNotification: (id: string) => call<void>('POST', `/api/notifications/${encodeURIComponent(id)}/read`),
  readAllNotifications: () => call<void>('POST', '/api/notifications/read-all'),

  analytics: (from: string, to: string) => call<Analytics>('GET', '/api/admin/analytics', { query: { from, to } }),
  flaggedReferrals: (cursor?: string | null) =>
    call<Page<AdminReferral>>('GET', '/api/admin/referrals', { query: { status: 'flagged', cursor, limit: 20 } }),
  reviewReferral: (id: string, decision: 'approve' | 'reject', note: string) =>
    call<AdminReferral>('POST', `/api/admin/referrals/${encodeURIComponent(id)}/${decision}`, note ? { body: { note } } : {}),

  searchUsers: (query: string, cursor?: string | null) => call<Page<AdminUser>>('GET', '/api/admin/users', { query: { query, cursor, limit: 20 } }),
  adminUser: (id: string) => call<AdminUserDetail>('GET', `/api/admin/users/${encodeURIComponent(id)}`),
  adminUserTransactions: (id: string, cursor?: string | null) =>
    call<Page<PointTransaction>>('GET', `/api/admin/users/${encodeURIComponent(id)}/transactions`, { query: { cursor, limit: 10 } }),
  /** `key` is the Idempotency-Key: the caller keeps it while it retries the same adjustment. */
  adjustPoints: (body: { userId: string; amount: number; reason: string }, key: string) =>
    call<AdminAddPointsResult>('POST', '/api/points/admin/add', { body, headers: { 'Idempotency-Key': key } }),

  webhooks: (cursor?: string | null) => call<Page<WebhookEndpoint>>('GET', '/api/admin/webhooks', { query: { cursor, limit: 20 } }),
  createWebhook: (body: { url: string; events: string[]; description?: string }) => call<CreatedWebhookEndpoint>('POST', '/api/admin/webhooks', { body }),
  updateWebhook: (id: string, body: { enabled?: boolean }) => call<WebhookEndpoint>('PATCH', `/api/admin/webhooks/${encodeURIComponent(id)}`, { body }),
  deleteWebhook: (id: string) => call<void>('DELETE', `/api/admin/webhooks/${encodeURIComponent(id)}`),
  webhookDeliveries: (id: string, cursor?: string | null) =>
    call<Page<WebhookDelivery>>('GET', `/api/admin/webhooks/${encodeURIComponent(id)}/deliveries`, { query: { cursor, limit: 20 } }),
  testWebhook: (id: string) => call<{ eventId: string; deliveryId: string }>('POST', `/api/admin/webhooks/${encodeURIComponent(id)}/test`),

  rewardRules: () => call<RewardRulesList>('GET', '/api/admin/reward-rules'),
  createRewardRules: (body: NewRewardRules) => call<RewardRulesVersion>('POST', '/api/admin/reward-rules', { body }),
  previewRewards: (body: { amount: number; currency: string; firstPurchase: boolean; version?: number; rules?: Record<string, number | null> }) =>
    call<RewardPreview>('POST', '/api/admin/reward-rules/preview', { body }),
  withdrawRewardRules: (version: number) => call<void>('DELETE', `/api/admin/reward-rules/${version}`),

  auditLog: (query: { action?: AuditAction | ''; targetId?: string; cursor?: string | null }) =>
    call<Page<AuditEntry>>('GET', '/api/admin/audit-log', { query: { ...query, limit: 25 } }),
};

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : 'Something went wrong.';
}
