import { z } from 'zod';
import { authenticate, signup } from '../../domain/auth/accounts';
import { assertLoginAllowed, clearLoginFailures, recordLoginFailure } from '../../domain/auth/login-throttle';
import { AppError } from '../../domain/errors';
import { startOnboarding } from '../../clients/temporal-client';
import { email, errorSchema, newPassword, userSchema } from '../schemas/common';
import { auditLoginFailure, auditSessionUser } from '../audit';
import { defineRoute } from '../route';
import { clearSessionCookie, loadSessionUser, sessionCookie, setSessionCookie, userView } from '../session';

const userResponse = z.object({ user: userSchema });

const signupBody = z.object({
  brandName: z.string().trim().min(2, 'Use at least 2 characters.').max(200),
  name: z.string().trim().min(1, 'Enter your name.').max(200),
  email,
  password: newPassword,
});

const loginBody = z.object({ email, password: z.string().min(1, 'Enter your password.').max(200) });

export const authRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/auth/signup',
    summary: 'Creates a brand and its admin, and logs the admin in',
    tag: 'auth',
    access: 'public',
    body: signupBody,
    responses: {
      201: { description: 'Signed up and logged in', schema: userResponse },
      409: { description: 'EMAIL_TAKEN', schema: errorSchema },
      422: { description: 'VALIDATION_FAILED', schema: errorSchema },
    },
    async handler(ctx, { body }, deps) {
      const user = await signup(deps.orm.em.fork(), body, ctx.state.requestId);
      // Not fatal: every billing flow links the Stripe customer itself (idempotently) if this start was lost.
      await deps.temporal.connection
        .withDeadline(Date.now() + 3_000, () => startOnboarding(deps.temporal, deps.config.temporal.taskQueuePrefix, user.customer!.id))
        .catch((err: unknown) => ctx.state.log.warn({ err }, 'onboarding not started'));
      setSessionCookie(ctx, deps, await deps.sessions.create(user.id));
      ctx.status = 201;
      ctx.body = { user: userView(user) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/auth/login',
    summary: 'Logs in with email and password; sets an HttpOnly session cookie',
    tag: 'auth',
    access: 'public',
    body: loginBody,
    responses: {
      200: { description: 'Logged in', schema: userResponse },
      401: { description: 'INVALID_CREDENTIALS', schema: errorSchema },
      429: { description: 'RATE_LIMITED after repeated failures, with Retry-After', schema: errorSchema },
    },
    async handler(ctx, { body }, deps) {
      await assertLoginAllowed(deps.redis, body.email);
      const em = deps.orm.em.fork();
      const user = await authenticate(em, body.email, body.password).catch(async (err: unknown) => {
        if (err instanceof AppError && err.code === 'INVALID_CREDENTIALS') {
          await recordLoginFailure(deps.redis, body.email);
          await auditLoginFailure(ctx, em.fork(), body.email);
        }
        throw err;
      });
      await clearLoginFailures(deps.redis, body.email);
      // One flush: the login time and its audit entry.
      await auditSessionUser(ctx, em, userView(user), 'user.logged_in');
      setSessionCookie(ctx, deps, await deps.sessions.create(user.id));
      ctx.body = { user: userView(user) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/auth/logout',
    summary: 'Ends the session',
    tag: 'auth',
    access: 'public',
    responses: { 204: { description: 'Logged out (also when no session was open)' } },
    async handler(ctx, _input, deps) {
      const token = ctx.cookies.get(sessionCookie);
      if (token) {
        const user = await loadSessionUser(deps, token);
        await deps.sessions.destroy(token);
        if (user) await auditSessionUser(ctx, deps.orm.em.fork(), user, 'user.logged_out');
      }
      clearSessionCookie(ctx);
      ctx.status = 204;
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/auth/me',
    summary: 'The logged-in user; 401 UNAUTHENTICATED or SESSION_EXPIRED otherwise',
    tag: 'auth',
    access: 'authenticated',
    responses: {
      200: { description: 'The user', schema: userResponse },
      401: { description: 'UNAUTHENTICATED or SESSION_EXPIRED', schema: errorSchema },
    },
    async handler(ctx) {
      ctx.body = { user: ctx.state.auth };
    },
  }),
];
