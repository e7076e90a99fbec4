// The operator console's revenue, adoption and success figures (domain/operator/metrics.ts). The
// consume latency comes from this process's own request histogram (api/middleware/metrics.ts),
// which is why the route group is built with the registry.
import type { Registry } from 'prom-client';
import { z } from 'zod';
import { metricDefinitions } from '../../domain/operator/metrics-definitions';
import { operatorMetrics } from '../../domain/operator/metrics';
import type { HistogramBucket } from '../../domain/operator/percentile';
import { defineRoute } from '../route';
import { errorSchema } from '../schemas/common';

const count = z.number().int().nonnegative();
const cents = z.number().int().nonnegative();
const rate = z.number().min(0).max(1);
const month = z.string().meta({ description: 'YYYY-MM (UTC)', example: '2026-11' });
const described = <T extends z.ZodType>(schema: T, figure: keyof typeof metricDefinitions) => schema.meta({ description: metricDefinitions[figure] });

const metricsSchema = z
  .object({
    mrrCents: described(cents, 'mrrCents'),
    packRevenueCents: described(cents, 'packRevenueCents'),
    refundsCents: described(cents, 'refundsCents'),
    arpuCents: described(cents, 'arpuCents'),
    payingBrands: described(count, 'payingBrands'),
    mrrMovement: described(z.array(z.object({ month, newCents: cents, expansionCents: cents, contractionCents: cents, churnCents: cents, mrrCents: cents })), 'mrrMovement'),
    packRevenueByMonth: described(z.array(z.object({ month, cents })), 'packRevenueByMonth'),
    refundsByMonth: described(z.array(z.object({ month, cents })), 'refundsByMonth'),
    adoption: described(z.array(z.object({ slug: z.string(), name: z.string(), activeBrands: count, eligibleBrands: count, rate })), 'adoption'),
    configurationCompletion: described(z.array(z.object({ slug: z.string(), activeBrands: count, configuredBrands: count, rate })), 'configurationCompletion'),
    usagePerActiveApp: described(z.array(z.object({ slug: z.string(), uses: count, tokens: count, activeBrands: count, tokensPerActiveBrand: count })), 'usagePerActiveApp'),
    timeToFirstCall: described(z.object({ brands: count, medianHours: z.number().nonnegative().nullable(), p90Hours: z.number().nonnegative().nullable() }), 'timeToFirstCall'),
    retention: described(z.array(z.object({ days: z.union([z.literal(30), z.literal(60), z.literal(90)]), cohort: count, retained: count, rate })), 'retention'),
    consumeP95Ms: described(z.number().nonnegative().nullable(), 'consumeP95Ms'),
    adoptionByMonth: described(z.array(z.object({ month, bySlug: z.record(z.string(), rate) })), 'adoptionByMonth'),
    definitions: z.record(z.string(), z.string()).meta({ description: 'Each figure’s name → how it is computed, in one sentence.' }),
  })
  .meta({ id: 'OperatorMetrics' });

/** POST /v1/consume's cumulative latency buckets, summed over its statuses. */
export async function consumeLatencyBuckets(registry: Registry): Promise<HistogramBucket[]> {
  const metric = registry.getSingleMetric('http_request_duration_seconds');
  if (!metric) return [];
  // A histogram's values carry their series name (_bucket, _sum, _count); the type says only "maybe".
  const values = (await metric.get()).values as { value: number; labels: Record<string, string | number | undefined>; metricName?: string }[];
  const byLe = new Map<number, number>();
  for (const v of values) {
    if (v.metricName !== 'http_request_duration_seconds_bucket' || v.labels.route !== '/v1/consume' || v.labels.method !== 'POST') continue;
    const le = v.labels.le === '+Inf' ? Infinity : Number(v.labels.le);
    byLe.set(le, (byLe.get(le) ?? 0) + v.value);
  }
  return [...byLe].map(([le, n]) => ({ le, count: n }));
}

export function operatorMetricsRoutes(registry: Registry) {
  return [
    defineRoute({
      method: 'get',
      path: '/api/operator/metrics',
      summary: 'Revenue (MRR and its movement, packs, refunds, ARPU), app adoption and success figures across every brand (operators)',
      tag: 'operator',
      access: 'operate',
      responses: {
        200: { description: 'The figures, each defined in `definitions`', schema: metricsSchema },
        401: { description: 'UNAUTHENTICATED', schema: errorSchema },
        403: { description: 'FORBIDDEN for anyone but an operator', schema: errorSchema },
      },
      async handler(ctx, _input, deps) {
        const metrics = await operatorMetrics(deps.orm.em.fork(), new Date(), await consumeLatencyBuckets(registry));
        ctx.set('Cache-Control', 'no-store');
        ctx.body = metrics;
      },
    }),
  ];
}
