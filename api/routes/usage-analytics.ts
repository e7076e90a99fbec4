// Usage analytics of the brand: by bucket, app and key (GET /api/usage/analytics), the exhaustion
// forecast (GET /api/usage/forecast) and the CSV export (GET /api/usage/export.csv). All of it is
// read from the usage_hourly rollup the reconciler keeps (domain/usage/), never from token_usage;
// test keys' uses (mode=test) from the Redis sandbox's days, in the same shapes (domain/usage/by-mode.ts).
import { Readable } from 'node:stream';
import { z } from 'zod';
import { AppError } from '../../domain/errors';
import { can } from '../../domain/roles';
import { analyticsByMode, csvByMode } from '../../domain/usage/by-mode';
import { usageForecast } from '../../domain/usage/forecast-data';
import { dayMs, dayOf, maxHourlyDays, maxRangeDays, parseDay, usageRange } from '../../domain/usage/range';
import { defineRoute } from '../route';
import { errorSchema } from '../schemas/common';
import { customerIdOf } from '../scope';
import type { AppContext } from '../state';

const day = z
  .string()
  .refine((s) => parseDay(s) !== null, 'Use a calendar date as YYYY-MM-DD (UTC).')
  .meta({ example: '2026-11-01' });

const defaultRangeDays = 30;

/** from/to inclusive UTC days, by default the last 30 days; every limit is named on the field it is about. */
const rangeFields = {
  from: day.optional().meta({ description: `First day, inclusive (UTC). Default: ${defaultRangeDays} days before \`to\`.` }),
  to: day.optional().meta({ description: 'Last day, inclusive (UTC). Default: today.' }),
  granularity: z.enum(['day', 'hour']).default('day').meta({ description: `hour only for ranges of at most ${maxHourlyDays} days.` }),
  mode: z.enum(['live', 'test']).default('live').meta({ description: 'Uses of live or of test keys (test uses spend from the sandbox and are never billed; they are counted by hour in Redis and read from there).' }),
};

type RangeQuery = { from?: string; to?: string; granularity: 'day' | 'hour'; mode: 'live' | 'test' };

function checkRange(q: RangeQuery, ctx: z.RefinementCtx): void {
  // A field that is no date has its own issue already.
  if ((q.from !== undefined && parseDay(q.from) === null) || (q.to !== undefined && parseDay(q.to) === null)) return;
  const to = q.to ?? dayOf(Date.now());
  const from = q.from ?? dayOf(parseDay(to)! - (defaultRangeDays - 1) * dayMs);
  const days = (parseDay(to)! - parseDay(from)!) / dayMs + 1;
  if (days < 1) ctx.addIssue({ code: 'custom', path: ['to'], message: '`to` is before `from`.' });
  else if (days > maxRangeDays) ctx.addIssue({ code: 'custom', path: ['to'], message: `The range is ${days} days; at most ${maxRangeDays}.` });
  else if (q.granularity === 'hour' && days > maxHourlyDays) ctx.addIssue({ code: 'custom', path: ['granularity'], message: `Hourly buckets are for ranges of at most ${maxHourlyDays} days; this one is ${days}.` });
}

const rangeQuery = z.object(rangeFields).superRefine(checkRange);
const exportQuery = z
  .object({ ...rangeFields, level: z.enum(['app', 'key']).default('app').meta({ description: 'key: one line per api key too (admins only).' }) })
  .superRefine(checkRange);

const rangeOf = (q: RangeQuery) => {
  const to = q.to ?? dayOf(Date.now());
  return usageRange(q.from ?? dayOf(parseDay(to)! - (defaultRangeDays - 1) * dayMs), to, q.granularity, q.mode);
};

const isAdmin = (ctx: AppContext) => ctx.state.auth !== undefined && can(ctx.state.auth.role, 'administer');

const counts = z.object({ uses: z.number().int(), tokens: z.number().int() });
const analyticsSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    granularity: z.enum(['day', 'hour']),
    mode: z.enum(['live', 'test']),
    totals: z.object({ uses: z.number().int(), tokens: z.number().int(), refundedUses: z.number().int(), refundedTokens: z.number().int(), netTokens: z.number().int() }),
    series: z.array(z.object({ at: z.string().meta({ description: 'Bucket start (UTC).' }), byApp: z.record(z.string(), counts).meta({ description: 'By app slug, net of refunds; apps with no use in the bucket are absent.' }) })).meta({
      description: 'Every bucket of the range, in order, zero-filled.',
    }),
    apps: z.array(z.object({ slug: z.string(), name: z.string(), uses: z.number().int(), tokens: z.number().int(), refundedTokens: z.number().int() })).meta({ description: 'Most tokens first (the top apps).' }),
    keys: z.array(z.object({ id: z.uuid(), name: z.string(), prefix: z.string(), mode: z.enum(['live', 'test']), uses: z.number().int(), tokens: z.number().int() })).meta({
      description: 'Per api key, most tokens first: admins only (empty for others). Uses through no key (the portal) count in the totals only.',
    }),
  })
  .meta({ id: 'UsageAnalytics' });

const point = z.object({ at: z.string(), balance: z.number().int() });
const forecastSchema = z
  .object({
    balance: z.number().int().nullable().meta({ description: 'Reconciled balance; null is unlimited.' }),
    burnPerDay: z.number().int().meta({ description: 'Average net tokens a day over the last 7 complete UTC days.' }),
    method: z.enum(['trailing-7-day', 'weekday-aware']).meta({ description: 'weekday-aware once the brand has two weeks of history (docs/guides/usage-analytics.md).' }),
    exhaustsAt: z.string().nullable(),
    cycleEndsAt: z.string().nullable(),
    beforeCycleEnd: z.boolean(),
    suggestion: z.object({ kind: z.enum(['pack', 'plan']), id: z.uuid(), name: z.string(), reason: z.string() }).nullable(),
    balanceSeries: z.array(point).meta({ description: 'The cycle so far: the balance at each UTC midnight, then now.' }),
    forecastSeries: z.array(point).meta({ description: 'From now to the cycle end, daily, ending where the balance reaches 0.' }),
  })
  .meta({ id: 'UsageForecast' });

const validation = { description: 'VALIDATION_FAILED: a bad date (query.from, query.to), `to` before `from` or a range over 366 days (query.to), hourly buckets over 7 days (query.granularity), an unknown mode (query.mode)', schema: errorSchema };

/** An ASCII file-name part from the brand's name: letters and digits, dashes between. */
const fileSlug = (name: string) =>
  name.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'brand';

export const usageAnalyticsRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/usage/analytics',
    summary: 'Uses and tokens of the brand by day or hour, app and api key, refunds netted (live: the hourly rollup; test: the sandbox)',
    tag: 'usage',
    access: 'read',
    query: rangeQuery,
    responses: { 200: { description: 'Usage analytics', schema: analyticsSchema }, 403: { description: 'FORBIDDEN for an operator (no brand)', schema: errorSchema }, 422: validation },
    async handler(ctx, { query }, deps) {
      const customerId = customerIdOf(ctx);
      ctx.body = await analyticsByMode(deps, customerId, rangeOf(query), { withKeys: isAdmin(ctx) });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/usage/forecast',
    summary: 'When the balance runs out at the current burn rate, and the pack or plan that would cover it',
    tag: 'usage',
    access: 'read',
    responses: { 200: { description: 'Forecast', schema: forecastSchema }, 403: { description: 'FORBIDDEN for an operator (no brand)', schema: errorSchema } },
    async handler(ctx, _input, deps) {
      ctx.body = await usageForecast(deps.orm.em.fork(), customerIdOf(ctx), new Date());
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/usage/export.csv',
    summary: 'The usage analytics as CSV (streamed), one line per bucket and app, or per key too (admins)',
    tag: 'usage',
    access: 'read',
    query: exportQuery,
    responses: {
      200: { description: 'text/csv with a header row, as an attachment named <brand>-usage-<from>-to-<to>.csv', mediaType: 'text/csv', schema: z.string() },
      403: { description: 'FORBIDDEN: level=key for a non-admin, or an operator (no brand)', schema: errorSchema },
      422: validation,
    },
    async handler(ctx, { query }, deps) {
      const customerId = customerIdOf(ctx);
      if (query.level === 'key' && !isAdmin(ctx)) throw new AppError('FORBIDDEN', 'Only admins export usage by api key.', { fields: [{ path: 'query.level', message: 'Use level=app, or ask an admin.' }] });
      const range = rangeOf(query);
      const [brand] = await deps.orm.em.fork().execute<{ name: string }[]>('select name from customers where id = ?', [customerId]);
      ctx.set('Content-Disposition', `attachment; filename="${fileSlug(brand?.name ?? '')}-usage-${range.from}-to-${range.to}.csv"`);
      ctx.set('Cache-Control', 'no-store');
      ctx.type = 'text/csv; charset=utf-8';
      ctx.body = Readable.from(csvByMode(deps, customerId, range, query.level));
    },
  }),
];
