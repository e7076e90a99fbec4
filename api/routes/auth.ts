import { z } from 'zod';
import { authenticate, signup } from '../../domain/auth/accounts';
import { LoginThrottle } from '../../domain/auth/login-throttle';
import { recordFailedSignIn, recordSignIn } from '../../domain/auth/sign-ins';
import { startOnboarding } from '../../clients/temporal-client';
import { email, errorSchema, newPassword, userSchema } from '../schemas/common';
import type { Deps } from '../deps';
import { auditLoginFailure, auditSessionUser } from '../audit';
import { AppError } from '../../domain/errors';
import { defineRoute } from '../route';
import { clearSessionCookie, loadSessionUser, sessionCookie, setSessionCookie, userView } from '../session';

const userResponse = z.object({ user: userSchema });

const signupBody = z.object({
  brandName: z.string().trim().min(2, 'Use at least 2 characters.').max(200),
  name: z.string().trim().min(1, 'Enter your name.').max(200),
  email,
  password: newPassword,
});

const throttleOf = (deps: Deps) => new LoginThrottle(deps.redis, deps.config.throttles);

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
      403: { description: 'CROSS_SITE_REQUEST: posted from another site', schema: errorSchema },
      409: { description: 'EMAIL_TAKEN', schema: errorSchema },
      422: { description: 'VALIDATION_FAILED', schema: errorSchema },
      429: { description: 'TOO_MANY_ATTEMPTS: too many sign-ups from this IP, with Retry-After', schema: errorSchema },
    },
    async handler(ctx, { body }, deps) {
      // Before the hash: each sign-up costs one, a workflow and a Stripe customer.
      await throttleOf(deps).reserveSignup(ctx.ip);
      const user = await signup(deps.orm.em.fork(), deps.passwords, body, ctx.state.requestId);
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
      403: { description: 'ACCOUNT_DISABLED: the password is right but an admin disabled the account; CROSS_SITE_REQUEST: posted from another site', schema: errorSchema },
      429: { description: 'TOO_MANY_ATTEMPTS after repeated failures (from this IP, or for this account), with Retry-After', schema: errorSchema },
    },
    async handler(ctx, { body }, deps) {
      const throttle = throttleOf(deps);
      // Counted as a failure before the password is checked, so parallel guesses cannot outrun it.
      await throttle.reserve(body.email, ctx.ip);
      const em = deps.orm.em.fork();
      const attempt = { ip: ctx.ip, userAgent: ctx.get('User-Agent') };
      const user = await authenticate(em, deps.passwords, body.email, body.password).catch(async (err: unknown) => {
        // The failure stays counted (the reservation above); it is also audited under the brand tried,
        // and listed in the member's own sign-ins.
        if (err instanceof AppError && err.code === 'INVALID_CREDENTIALS') {
          await auditLoginFailure(ctx, em.fork(), body.email);
          await recordFailedSignIn(em.fork(), body.email, { ...attempt, succeeded: false, failureReason: 'wrong_password' });
        }
        if (err instanceof AppError && err.code === 'ACCOUNT_DISABLED') await recordFailedSignIn(em.fork(), body.email, { ...attempt, succeeded: false, failureReason: 'account_disabled' });
        throw err;
      });
      await throttle.succeeded(body.email, ctx.ip);
      recordSignIn(em, user.id, { ...attempt, succeeded: true });
      // One flush: the login time, the sign-in and the audit entry.
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
    // Public so that a dead session still logs out cleanly, but it acts on the session cookie.
    sameOrigin: 'required',
    responses: {
      204: { description: 'Logged out (also when no session was open)' },
      403: { description: 'CROSS_SITE_REQUEST: not sent from the portal itself', schema: errorSchema },
    },
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
