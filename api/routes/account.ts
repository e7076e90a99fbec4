// A member's own account: their password and their recent sign-ins. Any logged-in user, for
// themselves only (the session says who).
import { z } from 'zod';
import { changePassword } from '../../domain/auth/accounts';
import { LoginThrottle } from '../../domain/auth/login-throttle';
import { recentSignIns } from '../../domain/auth/sign-ins';
import { recordRouteAudit } from '../audit';
import { defineRoute } from '../route';
import { errorSchema, newPassword } from '../schemas/common';
import { signInSchema, signInView } from '../schemas/team';
import { sessionCookie } from '../session';

const passwordBody = z.object({ currentPassword: z.string().min(1, 'Enter your current password.').max(200), newPassword });

export const accountRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/account/password',
    summary: 'Changes your own password; your other sessions end, this one stays',
    tag: 'account',
    access: 'authenticated',
    body: passwordBody,
    responses: {
      200: { description: 'Changed', schema: z.object({ endedSessions: z.number().int().nonnegative().meta({ description: 'How many other sessions were ended.' }) }) },
      401: { description: 'UNAUTHENTICATED or SESSION_EXPIRED', schema: errorSchema },
      403: { description: 'CROSS_SITE_REQUEST', schema: errorSchema },
      429: { description: 'TOO_MANY_ATTEMPTS after repeated wrong current passwords, with Retry-After', schema: errorSchema },
      422: { description: 'WRONG_PASSWORD (details.fields on body.currentPassword) or VALIDATION_FAILED', schema: errorSchema },
    },
    async handler(ctx, { body }, deps) {
      const { id: userId, email } = ctx.state.auth!;
      // Counted like a login: a stolen session must not become a way to guess the password.
      const throttle = new LoginThrottle(deps.redis, deps.config.throttles);
      await throttle.reserve(email, ctx.ip);
      const em = deps.orm.em.fork();
      const user = await changePassword(em, deps.passwords, userId, body.currentPassword, body.newPassword);
      recordRouteAudit(ctx, em, { action: 'user.password_changed', target: { type: 'user', id: user.id } });
      await em.flush();
      await throttle.succeeded(email, ctx.ip);
      const endedSessions = await deps.sessions.endAllOf(userId, ctx.cookies.get(sessionCookie));
      ctx.body = { endedSessions };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/account/sign-ins',
    summary: 'Your own recent sign-ins (the last 20): when, from which IP and browser, and whether they succeeded',
    tag: 'account',
    access: 'authenticated',
    responses: {
      200: { description: 'Newest first', schema: z.object({ signIns: z.array(signInSchema) }) },
      401: { description: 'UNAUTHENTICATED or SESSION_EXPIRED', schema: errorSchema },
    },
    async handler(ctx, _input, deps) {
      const rows = await recentSignIns(deps.orm.em.fork(), ctx.state.auth!.id);
      ctx.body = { signIns: rows.map(signInView) };
    },
  }),
];
