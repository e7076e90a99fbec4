// The portal's only door to the API. Same origin, so the HttpOnly session cookie rides along.

export type Role = 'admin' | 'manager' | 'viewer' | 'operator';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  customerId: string | null;
  customerName: string | null;
}

export type AppStatus = 'active' | 'beta' | 'deprecated';

export interface App {
  slug: string;
  name: string;
  description: string;
  category: string;
  status: AppStatus;
  costTokens: number;
}

/** 'suspended': the brand's payment failed; consumption is refused until it is paid. */
export type BalanceStatus = 'active' | 'suspended';

export interface Grant {
  id: string;
  source: 'plan_allowance' | 'token_pack' | 'adjustment';
  grantedTokens: number;
  remainingTokens: number;
  effectiveAt: string;
  expiresAt: string | null;
}

export interface Balance {
  /** Usable now, counting debits not yet reconciled; null is unlimited. */
  availableTokens: number | null;
  ledgerAvailableTokens: number | null;
  unlimited: boolean;
  status: BalanceStatus;
  /** Unexpired grants in burn order. */
  grants: Grant[];
}

/** One `balance` event of `GET /api/usage/stream`. */
export interface BalanceEvent {
  availableTokens: number | null;
  status: BalanceStatus;
  at: string;
}

export interface ApiKey {
  id: string;
  name: string;
  /** The public part of the secret, `vk_<prefix>_…`; the secret itself is never listed. */
  prefix: string;
  /** Null: every app of the brand. */
  appScopes: string[] | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface NewApiKey {
  name: string;
  appScopes?: string[] | null;
}

export type PlanKey = 'starter' | 'professional' | 'enterprise';
export type PackKey = 'tokens_1k' | 'tokens_5k' | 'tokens_10k';

/** Null: the brand has never subscribed. */
export type BillingStatus = 'active' | 'past_due' | 'suspended' | 'canceled';

export interface Billing {
  plan: { lookupKey: PlanKey; name: string; allowanceTokens: number | null; priceCents: number; currency: string } | null;
  status: BillingStatus | null;
  /** End exclusive. */
  cycle: { startAt: string; endAt: string } | null;
  cancelAtPeriodEnd: boolean;
  /** A downgrade that takes effect at the cycle end. */
  pendingPlan: { lookupKey: PlanKey; name: string } | null;
  pastDueSince: string | null;
  /** Percent of the cycle's available tokens. */
  alertThresholds: number[];
  /** This cycle's allowance grant; 0 without one, null if unlimited. */
  allowanceTokens: number | null;
  usedAllowanceTokens: number;
  packTokens: number;
  /** Null if unlimited. */
  remainingTokens: number | null;
  overagePolicy: 'block';
  /** True unless the API runs with a live Stripe key: the test-payment actions are available. */
  testMode: boolean;
}

/** What a test invoice reports for this cycle's renewal: the brand goes past due, or back to active. */
export type TestInvoiceOutcome = 'payment_failed' | 'paid';

export type BillingOutcome =
  | 'checkout'
  | 'started'
  | 'upgraded'
  | 'downgrade-scheduled'
  | 'updated'
  | 'unchanged'
  | 'cancel-scheduled'
  | 'resumed'
  | 'thresholds-set';

/** The billing workflow's answer to a change. */
export interface BillingVerdict {
  outcome: BillingOutcome;
  /** With `checkout`: where the browser pays. */
  checkoutUrl?: string;
  /** The billing state afterwards, in plain words. */
  details: string;
}

export interface Invoice {
  id: string;
  number: string | null;
  status: string | null;
  amountDueCents: number;
  amountPaidCents: number;
  currency: string;
  createdAt: string;
  periodStart: string;
  /** End exclusive. */
  periodEnd: string;
  hostedInvoiceUrl: string | null;
  invoicePdf: string | null;
}

export interface TokenPackPurchase {
  id: string;
  status: 'pending' | 'paid' | 'credited' | 'expired' | 'refunded' | 'failed';
  pack: PackKey;
  tokens: number;
  amountCents: number;
  currency: string;
  createdAt: string;
  creditedAt: string | null;
  refundedAt: string | null;
}

/**
 * One notice to the brand, written by the workflows (dunning, cycle summaries, usage alerts,
 * receipts). Called a notice here, not a Notification, so it never shadows the DOM's own type.
 */
export interface Notice {
  id: string;
  /** e.g. usage.alert, billing.cycle_summary, billing.payment-failed, token_pack.receipt. */
  kind: string;
  subject: string;
  /** Plain text with line breaks. */
  body: string;
  createdAt: string;
  /** When it was emailed; null for portal-only notices and mail still pending. */
  sentAt: string | null;
  readAt: string | null;
}

export interface NoticePage {
  /** Newest first. */
  notifications: Notice[];
  /** Over all the brand's notices, not just this page. */
  unreadCount: number;
}

export interface NoticeQuery {
  /** 1–100; the API's default is 20. */
  limit?: number;
  /** The `id` of the last notice of the previous page. */
  before?: string;
  unreadOnly?: boolean;
}

function noticesPath({ limit, before, unreadOnly }: NoticeQuery): string {
  const query = new URLSearchParams();
  if (limit !== undefined) query.set('limit', String(limit));
  if (before !== undefined) query.set('before', before);
  if (unreadOnly) query.set('unread', 'true');
  const search = query.toString();
  return search ? `/api/notifications?${search}` : '/api/notifications';
}

export interface FieldError {
  path: string;
  message: string;
}

interface ErrorBody {
  error: {
    code: string;
    message: string;
    details?: { fields?: FieldError[] } & Record<string, unknown>;
    requestId?: string;
  };
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorBody['error']['details'];
  readonly requestId: string | undefined;

  constructor(status: number, body: ErrorBody['error']) {
    super(body.message);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code;
    this.details = body.details;
    this.requestId = body.requestId;
  }
}

/** Codes that mean "no valid session": the portal drops back to the login page. */
const SESSION_LOST_CODES = new Set(['SESSION_EXPIRED', 'UNAUTHENTICATED']);

let sessionLost: () => void = () => {};

/** Registers the one listener told when any call answers 401 for a missing or expired session. */
export function onSessionLost(listener: () => void): void {
  sessionLost = listener;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

async function send<T>(method: Method, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...extraHeaders };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.ok) {
    return (res.status === 204 ? undefined : await res.json()) as T;
  }
  const error = await toApiError(res);
  if (error.status === 401 && SESSION_LOST_CODES.has(error.code)) sessionLost();
  throw error;
}

async function toApiError(res: Response): Promise<ApiError> {
  const fallback = `The server answered ${res.status} ${res.statusText}`.trim();
  try {
    const { error } = (await res.json()) as ErrorBody;
    return new ApiError(res.status, { ...error, message: error.message || fallback });
  } catch {
    return new ApiError(res.status, { code: 'UNEXPECTED_RESPONSE', message: fallback });
  }
}

export interface BalanceStreamHandlers {
  onOpen(): void;
  onBalance(event: BalanceEvent): void;
  /** `refused`: the server answered something other than a stream (401, 403, 5xx) and
   * EventSource gave up; otherwise the connection dropped and EventSource is already retrying. */
  onError(refused: boolean): void;
}

/** Opens the balance event stream (same origin, so the session cookie rides along); returns its closer. */
function streamBalance(handlers: BalanceStreamHandlers): () => void {
  const source = new EventSource('/api/usage/stream');
  source.onopen = () => handlers.onOpen();
  source.addEventListener('balance', (event) => handlers.onBalance(JSON.parse(event.data) as BalanceEvent));
  source.onerror = () => handlers.onError(source.readyState === EventSource.CLOSED);
  return () => source.close();
}

export interface SignupInput {
  brandName: string;
  name: string;
  email: string;
  password: string;
}

/** One key per intent (a click), so a retried request is answered with the first verdict. */
const once = (idempotencyKey: string) => ({ 'Idempotency-Key': idempotencyKey });

/** A fresh Idempotency-Key. `randomUUID` exists only in secure contexts (https, localhost). */
export function newIdempotencyKey(): string {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

export const api = {
  me: () => send<{ user: User }>('GET', '/api/auth/me'),
  login: (email: string, password: string) =>
    send<{ user: User }>('POST', '/api/auth/login', { email, password }),
  signup: (input: SignupInput) => send<{ user: User }>('POST', '/api/auth/signup', input),
  logout: () => send<void>('POST', '/api/auth/logout'),
  listApps: () => send<{ apps: App[] }>('GET', '/api/apps'),
  balance: () => send<Balance>('GET', '/api/usage/balance'),
  streamBalance,
  listApiKeys: () => send<{ apiKeys: ApiKey[] }>('GET', '/api/api-keys'),
  /** The answer holds the secret; no later call can show it again. */
  createApiKey: (input: NewApiKey) => send<{ apiKey: ApiKey; secret: string }>('POST', '/api/api-keys', input),
  revokeApiKey: (id: string) => send<{ apiKey: ApiKey }>('DELETE', `/api/api-keys/${encodeURIComponent(id)}`),
  billing: () => send<Billing>('GET', '/api/billing'),
  choosePlan: (plan: PlanKey, idempotencyKey: string) =>
    send<BillingVerdict>('POST', '/api/billing/subscription', { plan }, once(idempotencyKey)),
  cancelSubscription: (idempotencyKey: string) =>
    send<BillingVerdict>('POST', '/api/billing/subscription/cancel', undefined, once(idempotencyKey)),
  resumeSubscription: (idempotencyKey: string) =>
    send<BillingVerdict>('POST', '/api/billing/subscription/resume', undefined, once(idempotencyKey)),
  /** Test mode only (403 TEST_MODE_ONLY with live keys): pays the pending subscription checkout. */
  completeTestSubscriptionPayment: () => send<unknown>('POST', '/api/billing/subscription/complete-test-payment'),
  setAlertThresholds: (thresholds: number[]) =>
    send<{ thresholds: number[]; details: string }>('PUT', '/api/billing/alerts', { thresholds }),
  /** 503 while Stripe is unreachable. */
  listInvoices: () => send<{ invoices: Invoice[]; hasMore: boolean }>('GET', '/api/billing/invoices'),
  openBillingPortal: () => send<{ url: string }>('POST', '/api/billing/portal-session'),
  listTokenPacks: () => send<{ purchases: TokenPackPurchase[] }>('GET', '/api/billing/token-packs'),
  buyTokenPack: (pack: PackKey) =>
    send<{ purchase: TokenPackPurchase; checkoutUrl: string }>('POST', '/api/billing/token-packs', { pack }),
  /** Test mode only, admins with a subscription (409 NO_SUBSCRIPTION without): reports this cycle's renewal invoice. */
  sendTestInvoice: (outcome: TestInvoiceOutcome) =>
    send<{ eventIds: string[]; webhookStatuses: number[] }>('POST', '/api/billing/subscription/test-invoice', { outcome }),
  listNotices: (query: NoticeQuery = {}) => send<NoticePage>('GET', noticesPath(query)),
  /** Admins and managers; viewers get 403. */
  markNoticeRead: (id: string) => send<{ notification: Notice }>('POST', `/api/notifications/${encodeURIComponent(id)}/read`),
  markAllNoticesRead: () => send<{ marked: number }>('POST', '/api/notifications/read-all'),
  /** Test mode only: pays the purchase's checkout. */
  completeTestTokenPackPayment: (id: string) =>
    send<unknown>('POST', `/api/billing/token-packs/${encodeURIComponent(id)}/complete-test-payment`),
};
