// The portal's only door to the API. Same origin, so the HttpOnly session cookie rides along.
// The shapes are generated from the spec (types.ts); this file is the transport and the table.
import type { BalanceEvent, Body, ErrorBody, NoticeQuery, Ok } from './types';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorBody['error']['details'];
  readonly requestId: string | undefined;

  /** `requestId` is missing only when the answer was not our JSON error body at all. */
  constructor(status: number, body: Omit<ErrorBody['error'], 'requestId'> & { requestId?: string }) {
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

/** A Blob (a chosen file) goes as it is, with the Content-Type the caller names; anything else as JSON. */
export async function send<T>(method: Method, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<T> {
  const raw = body instanceof Blob;
  const headers: Record<string, string> = { Accept: 'application/json', ...(body !== undefined && !raw ? { 'Content-Type': 'application/json' } : {}), ...extraHeaders };
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
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

/** One key per intent (a click), so a retried request is answered with the first verdict. */
export const once = (idempotencyKey: string) => ({ 'Idempotency-Key': idempotencyKey });

/** A fresh Idempotency-Key. `randomUUID` exists only in secure contexts (https, localhost). */
export function newIdempotencyKey(): string {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

function noticesPath({ limit, before, unreadOnly }: NoticeQuery): string {
  const query = new URLSearchParams();
  if (limit !== undefined) query.set('limit', String(limit));
  if (before !== undefined) query.set('before', before);
  if (unreadOnly) query.set('unread', 'true');
  const search = query.toString();
  return search ? `/api/notifications?${search}` : '/api/notifications';
}

/** Each call is typed by its operation in the spec (operationId: method + path). */
export const api = {
  me: () => send<Ok<'getApiAuthMe'>>('GET', '/api/auth/me'),
  login: (email: string, password: string) =>
    send<Ok<'postApiAuthLogin'>>('POST', '/api/auth/login', { email, password } satisfies Body<'postApiAuthLogin'>),
  signup: (input: Body<'postApiAuthSignup'>) => send<Ok<'postApiAuthSignup'>>('POST', '/api/auth/signup', input),
  logout: () => send<void>('POST', '/api/auth/logout'),
  listApps: () => send<Ok<'getApiApps'>>('GET', '/api/apps'),
  balance: () => send<Ok<'getApiUsageBalance'>>('GET', '/api/usage/balance'),
  streamBalance,
  listApiKeys: () => send<Ok<'getApiApiKeys'>>('GET', '/api/api-keys'),
  /** The answer holds the secret; no later call can show it again. */
  createApiKey: (input: Body<'postApiApiKeys'>) => send<Ok<'postApiApiKeys'>>('POST', '/api/api-keys', input),
  revokeApiKey: (id: string) => send<Ok<'deleteApiApiKeysId'>>('DELETE', `/api/api-keys/${encodeURIComponent(id)}`),
  updateApiKey: (id: string, change: Body<'patchApiApiKeysId'>) =>
    send<Ok<'patchApiApiKeysId'>>('PATCH', `/api/api-keys/${encodeURIComponent(id)}`, change),
  /** Like creation, the answer holds the new key's secret once. */
  rotateApiKey: (id: string, overlapSeconds: number) =>
    send<Ok<'postApiApiKeysIdRotate'>>('POST', `/api/api-keys/${encodeURIComponent(id)}/rotate`, { overlapSeconds } satisfies Body<'postApiApiKeysIdRotate'>),
  refillSandbox: () => send<Ok<'postApiSandboxRefill'>>('POST', '/api/sandbox/refill'),
  billing: () => send<Ok<'getApiBilling'>>('GET', '/api/billing'),
  choosePlan: (plan: Body<'postApiBillingSubscription'>['plan'], idempotencyKey: string) =>
    send<Ok<'postApiBillingSubscription'>>('POST', '/api/billing/subscription', { plan }, once(idempotencyKey)),
  cancelSubscription: (idempotencyKey: string) =>
    send<Ok<'postApiBillingSubscriptionCancel'>>('POST', '/api/billing/subscription/cancel', undefined, once(idempotencyKey)),
  resumeSubscription: (idempotencyKey: string) =>
    send<Ok<'postApiBillingSubscriptionResume'>>('POST', '/api/billing/subscription/resume', undefined, once(idempotencyKey)),
  /** Test mode only (the route does not exist with a live key or in production): pays the pending subscription checkout. */
  completeTestSubscriptionPayment: () =>
    send<Ok<'postApiBillingSubscriptionCompleteTestPayment'>>('POST', '/api/billing/subscription/complete-test-payment'),
  setAlertThresholds: (thresholds: number[]) =>
    send<Ok<'putApiBillingAlerts'>>('PUT', '/api/billing/alerts', { thresholds } satisfies Body<'putApiBillingAlerts'>),
  /** 503 while Stripe is unreachable. */
  listInvoices: () => send<Ok<'getApiBillingInvoices'>>('GET', '/api/billing/invoices'),
  openBillingPortal: () => send<Ok<'postApiBillingPortalSession'>>('POST', '/api/billing/portal-session'),
  listTokenPacks: () => send<Ok<'getApiBillingTokenPacks'>>('GET', '/api/billing/token-packs'),
  buyTokenPack: (pack: Body<'postApiBillingTokenPacks'>['pack']) =>
    send<Ok<'postApiBillingTokenPacks'>>('POST', '/api/billing/token-packs', { pack }),
  /** Test mode only, admins with a subscription (409 NO_SUBSCRIPTION without): reports this cycle's renewal invoice. */
  sendTestInvoice: (outcome: Body<'postApiBillingSubscriptionTestInvoice'>['outcome']) =>
    send<Ok<'postApiBillingSubscriptionTestInvoice'>>('POST', '/api/billing/subscription/test-invoice', { outcome }),
  listNotices: (query: NoticeQuery = {}) => send<Ok<'getApiNotifications'>>('GET', noticesPath(query)),
  /** Admins and managers; viewers get 403. */
  markNoticeRead: (id: string) => send<Ok<'postApiNotificationsIdRead'>>('POST', `/api/notifications/${encodeURIComponent(id)}/read`),
  markAllNoticesRead: () => send<Ok<'postApiNotificationsReadAll'>>('POST', '/api/notifications/read-all'),
  /** Test mode only: pays the purchase's checkout. */
  completeTestTokenPackPayment: (id: string) =>
    send<Ok<'postApiBillingTokenPacksIdCompleteTestPayment'>>('POST', `/api/billing/token-packs/${encodeURIComponent(id)}/complete-test-payment`),
};
