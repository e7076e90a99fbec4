// A staff member's own notification settings: which categories reach them on which channel,
// and the phone number SMS notices go to (verified by a code first). Any brand role, own
// settings only: the user is the session's, never an id from the request.
import { z } from 'zod';
import { AppError } from '../../domain/errors';
import { e164, phoneOf, removePhone, sendPhoneCode, verifyPhoneCode } from '../../domain/notify/phone';
import { preferencesOf, savePreferences } from '../../domain/notify/preferences';
import { createSmsSender } from '../../domain/notify/sms';
import { categoryLabels, noticeCategories, type PreferenceGrid } from '../../domain/notify/vocabulary';
import { auditRoute } from '../audit';
import { defineRoute } from '../route';
import { errorSchema } from '../schemas/common';
import { customerIdOf } from '../scope';
import type { AppContext } from '../state';

const categorySchema = z.enum(noticeCategories).meta({ description: 'usage_alerts, billing, activation, security or weekly_summary' });

const phoneSchema = z
  .object({
    number: z.string().nullable().meta({ description: 'The verified number (E.164) SMS notices go to; null when none.' }),
    verifiedAt: z.string().nullable(),
    pendingNumber: z.string().nullable().meta({ description: 'A number waiting for its code; null when no code is waiting.' }),
    codeExpiresAt: z.string().nullable(),
  })
  .meta({ id: 'NotificationPhone' });

const preferencesSchema = z
  .object({
    categories: z.array(
      z.object({
        category: categorySchema,
        label: z.string(),
        email: z.boolean(),
        sms: z.boolean(),
        portal: z.literal(true).meta({ description: 'Every notice is listed in the portal: always on.' }),
      }),
    ),
    phone: phoneSchema,
  })
  .meta({ id: 'NotificationPreferences' });

const preferencesBody = z.object({
  categories: z
    .array(z.object({ category: categorySchema, email: z.boolean(), sms: z.boolean() }).strict())
    .min(1)
    .max(noticeCategories.length)
    .refine((list) => new Set(list.map((c) => c.category)).size === list.length, { message: 'each category at most once' })
    .meta({ description: 'The categories to change; the others keep their current choice.' }),
});

const phoneBody = z.object({
  phone: z
    .string()
    .max(32)
    // People type spaces, dashes, dots and brackets; the number itself must be E.164.
    .transform((s) => s.replace(/[\s().-]/g, ''))
    .pipe(z.string().regex(e164, 'expected an international number in E.164 form, e.g. +15551234567'))
    .meta({ description: 'E.164, e.g. +15551234567 (spaces, dashes and brackets are ignored).' }),
});

const codeBody = z.object({ code: z.string().regex(/^\d{6}$/, 'expected the 6 digits of the SMS') });

function who(ctx: AppContext) {
  const customerId = customerIdOf(ctx);
  return { id: ctx.state.auth!.id, role: ctx.state.auth!.role, customerId };
}

async function view(deps: { orm: Parameters<typeof phoneOf>[0] }, user: { id: string; role: string }) {
  const grid = await preferencesOf(deps.orm.em.fork().getConnection(), user);
  return {
    categories: noticeCategories.map((category) => ({ category, label: categoryLabels[category], ...grid[category], portal: true as const })),
    phone: await phoneOf(deps.orm, user.id),
  };
}

const brandOnly = { description: 'FORBIDDEN for an operator (no brand)', schema: errorSchema };
const signedOut = { description: 'UNAUTHENTICATED or SESSION_EXPIRED', schema: errorSchema };

export const accountNotificationRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/account/notification-preferences',
    summary: 'Your notification preferences: per category, email and SMS (in-portal is always on), and your SMS number',
    tag: 'account',
    access: 'authenticated',
    responses: { 200: { description: 'Your preferences', schema: preferencesSchema }, 401: signedOut, 403: brandOnly },
    async handler(ctx, _input, deps) {
      ctx.body = await view(deps, who(ctx));
    },
  }),
  defineRoute({
    method: 'put',
    path: '/api/account/notification-preferences',
    summary: 'Changes your notification preferences for the categories given',
    tag: 'account',
    access: 'authenticated',
    body: preferencesBody,
    responses: {
      200: { description: 'Your preferences after the change', schema: preferencesSchema },
      401: signedOut,
      403: brandOnly,
      422: { description: 'VALIDATION_FAILED (unknown category, a category twice, a missing channel); PHONE_NOT_VERIFIED when SMS is turned on with no verified number', schema: errorSchema },
    },
    async handler(ctx, { body }, deps) {
      const user = who(ctx);
      const smsAt = body.categories.findIndex((c) => c.sms);
      if (smsAt >= 0 && !(await phoneOf(deps.orm, user.id)).number) {
        throw new AppError('PHONE_NOT_VERIFIED', 'Add and verify a phone number before turning SMS on.', { fields: [{ path: `body.categories.${smsAt}.sms`, message: 'no verified phone number' }] });
      }
      const changes: Partial<PreferenceGrid> = Object.fromEntries(body.categories.map((c) => [c.category, { email: c.email, sms: c.sms }]));
      const em = deps.orm.em.fork();
      await savePreferences(em.getConnection(), user.id, changes);
      await auditRoute(ctx, em, { action: 'notification_preferences.updated', target: { type: 'user', id: user.id }, details: { categories: body.categories } });
      ctx.body = await view(deps, user);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/account/phone',
    summary: 'Sends a 6-digit code by SMS to the number given; it becomes your SMS number once verified',
    tag: 'account',
    access: 'authenticated',
    body: phoneBody,
    responses: {
      202: { description: 'The code is sent; it expires in 10 minutes', schema: z.object({ phone: phoneSchema }) },
      401: signedOut,
      403: brandOnly,
      422: { description: 'VALIDATION_FAILED on body.phone: not an E.164 number', schema: errorSchema },
      429: { description: 'RATE_LIMITED: one code per 30 s and 5 an hour, with Retry-After', schema: errorSchema },
      503: { description: 'SMS_UNAVAILABLE: the SMS provider could not take the message; nothing is pending', schema: errorSchema },
    },
    async handler(ctx, { body }, deps) {
      const user = who(ctx);
      const phone = await sendPhoneCode({ orm: deps.orm, redis: deps.redis, sms: createSmsSender(deps.config) }, user, body.phone);
      // The number is personal data: the audit says a code was sent, not where.
      await auditRoute(ctx, deps.orm.em.fork(), { action: 'phone.code_sent', target: { type: 'user', id: user.id } });
      ctx.status = 202;
      ctx.body = { phone };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/account/phone/verify',
    summary: 'Confirms the number with the code sent to it',
    tag: 'account',
    access: 'authenticated',
    body: codeBody,
    responses: {
      200: { description: 'The number is verified and receives the SMS notices you turn on', schema: z.object({ phone: phoneSchema }) },
      401: signedOut,
      403: brandOnly,
      409: { description: 'NO_VERIFICATION_PENDING: no code is waiting', schema: errorSchema },
      422: { description: 'VALIDATION_FAILED (not 6 digits), VERIFICATION_CODE_INVALID (wrong code, with triesLeft) or VERIFICATION_CODE_EXPIRED', schema: errorSchema },
      429: { description: 'TOO_MANY_ATTEMPTS: the 5th wrong code; the code is cleared', schema: errorSchema },
    },
    async handler(ctx, { body }, deps) {
      const user = who(ctx);
      const phone = await verifyPhoneCode(deps.orm, user.id, body.code);
      await auditRoute(ctx, deps.orm.em.fork(), { action: 'phone.verified', target: { type: 'user', id: user.id } });
      ctx.body = { phone };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/api/account/phone',
    summary: 'Forgets your SMS number; SMS notices are skipped until you add one again',
    tag: 'account',
    access: 'authenticated',
    responses: { 204: { description: 'Removed (or there was none)' }, 401: signedOut, 403: brandOnly },
    async handler(ctx, _input, deps) {
      const user = who(ctx);
      await removePhone(deps.orm, user.id);
      await auditRoute(ctx, deps.orm.em.fork(), { action: 'phone.removed', target: { type: 'user', id: user.id } });
      ctx.status = 204;
    },
  }),
];
