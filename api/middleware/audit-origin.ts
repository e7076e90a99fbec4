// Hands the request's address to the audit writer (domain/audit/origin.ts) for everything the
// request does. ctx.ip trusts X-Forwarded-For only in production, as many hops as configured.
import type { Middleware } from 'koa';
import { withAuditOrigin } from '../../domain/audit/origin';
import type { AppState } from '../state';

export const auditOrigin: Middleware<AppState> = function auditOriginMiddleware(ctx, next) {
  return withAuditOrigin({ ip: ctx.ip }, next);
};
