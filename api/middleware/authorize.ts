// The one place roles are enforced. Routes only declare what access they need.
import type { Middleware, ParameterizedContext } from 'koa';
import { AppError } from '../../domain/errors';
import { originAllowed } from '../../domain/metering/allowed-origins';
import { can, type Permission } from '../../domain/roles';
import type { Deps } from '../deps';
import type { AppState } from '../state';
import { requestOrigin } from './same-origin';
import type { ResolvedApiKey } from '../metering/api-key-cache';
import { clearSessionCookie, loadSessionUser, sessionCookie } from '../session';

/**
 * Who may call a route. `public`: anyone. `authenticated`: any logged-in user acting on their own
 * session. `apiKey`: a widget or server presenting a brand's API key as a bearer token. Else a
 * role holding the permission.
 */
export type Access = 'public' | 'authenticated' | 'apiKey' | Permission;

/**
 * The page a browser call comes from. A browser leaves Origin out of a same-origin GET (the demo
 * storefront, served by this API, reading its widget configuration); it then says
 * `Sec-Fetch-Site: same-origin`, which a page cannot forge either, and the origin is ours.
 */
function callerOrigin(ctx: ParameterizedContext<AppState>): string | undefined {
  const origin = ctx.get('Origin');
  if (origin) return origin;
  return ctx.get('Sec-Fetch-Site') === 'same-origin' ? requestOrigin(ctx) : undefined;
}

/**
 * An API key's admission, shared by the `apiKey` routes and the widget edge (api/edge/consume.ts):
 * the key is put on `state` before a paused key or a foreign origin is refused, so the refusal
 * carries the key's test mode and its CORS rule.
 */
export async function admitApiKey(deps: Deps, authorization: string, origin: () => string | undefined, state: Pick<AppState, 'apiKey' | 'keyOrigin'>): Promise<ResolvedApiKey> {
  const [scheme, token] = authorization.split(' ');
  const key = scheme === 'Bearer' && token ? await deps.metering.apiKeys.resolve(token) : null;
  if (!key) throw new AppError('INVALID_API_KEY', 'Send a valid API key, neither revoked nor expired, as "Authorization: Bearer vpk_…" (storefronts) or "vsk_…" (servers).');
  state.apiKey = key;
  if (key.paused) {
    throw new AppError('API_KEY_PAUSED', 'This API key was paused after unusual usage. A brand admin can resume it on the API keys page of the portal.');
  }
  // A publishable key is public (it sits in page HTML): what stops its use elsewhere is that
  // browsers always send Origin on these CORS calls and a page cannot forge it. A script
  // outside a browser can, which is why the per-visitor limits and daily cap exist as well.
  if (key.kind === 'publishable') {
    const from = origin();
    if (!originAllowed(key.allowedOrigins, from)) {
      throw new AppError('ORIGIN_NOT_ALLOWED', 'This publishable key works only from the origins its brand allowed in the portal.', { origin: from ?? null });
    }
    state.keyOrigin = from;
  }
  return key;
}

export function authorize(access: Access, deps: Deps): Middleware<AppState> {
  return async function authorizeRequest(ctx, next) {
    if (access === 'public') return next();
    if (access === 'apiKey') {
      await admitApiKey(deps, ctx.get('Authorization'), () => callerOrigin(ctx), ctx.state);
      return next();
    }
    const token = ctx.cookies.get(sessionCookie);
    if (!token) throw new AppError('UNAUTHENTICATED', 'Log in to continue.');
    const auth = await loadSessionUser(deps, token);
    if (!auth) {
      clearSessionCookie(ctx);
      throw new AppError('SESSION_EXPIRED', 'Your session expired. Please log in again.');
    }
    ctx.state.auth = auth;
    ctx.state.log = ctx.state.log.child({ userId: auth.id, customerId: auth.customerId });
    if (access !== 'authenticated' && !can(auth.role, access)) {
      throw new AppError('FORBIDDEN', `Your role (${auth.role}) may not do this.`, { required: access });
    }
    return next();
  };
}
