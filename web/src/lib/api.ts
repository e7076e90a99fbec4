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

async function send<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
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
};
