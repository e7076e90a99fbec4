// The operator's revenue, adoption and success figures (GET /api/operator/metrics), read live
// from PostgreSQL: each concern in its own file, the calculations pure. The consume latency is
// the API process's own histogram, handed in by the caller (domain code does not know it).
import type { EntityManager } from '@mikro-orm/postgresql';
import { adoptionByMonth, type AppAdoptionRate } from './adoption-rates';
import { metricDefinitions, metricMonths, retentionWindows } from './metrics-definitions';
import { activationDates, catalogApps, configurationCompletion, currentAdoption, type ConfigurationCompletion } from './metrics-adoption';
import { fillMonths, packRevenueByMonth, planChanges, refundsByMonth, revenueNow, type MonthCents } from './metrics-revenue';
import { timeToFirstCall, usagePerActiveApp, type AppUsage, type TimeToFirstCall } from './metrics-usage';
import { byBrand, lastMonths, mrrMovement, retention, type MrrMonth, type Retention } from './mrr-history';
import { histogramQuantile, type HistogramBucket } from './percentile';

export interface OperatorMetrics {
  mrrCents: number;
  packRevenueCents: number;
  refundsCents: number;
  arpuCents: number;
  payingBrands: number;
  mrrMovement: MrrMonth[];
  packRevenueByMonth: MonthCents[];
  refundsByMonth: MonthCents[];
  adoption: AppAdoptionRate[];
  configurationCompletion: ConfigurationCompletion[];
  usagePerActiveApp: AppUsage[];
  timeToFirstCall: TimeToFirstCall;
  retention: Retention[];
  consumeP95Ms: number | null;
  adoptionByMonth: { month: string; bySlug: Record<string, number> }[];
  definitions: Record<string, string>;
}

export async function operatorMetrics(em: EntityManager, now: Date, consumeLatencySeconds: readonly HistogramBucket[]): Promise<OperatorMetrics> {
  const months = lastMonths(now, metricMonths);
  const since = months[0]!.startAt;
  const apps = await catalogApps(em);
  const revenue = await revenueNow(em);
  const plans = byBrand(await planChanges(em, now));
  const activated = await activationDates(em);
  const slugs = apps.map((a) => a.slug);
  const p95 = histogramQuantile(consumeLatencySeconds, 0.95);
  return {
    mrrCents: revenue.mrrCents,
    packRevenueCents: revenue.packRevenueCents,
    refundsCents: revenue.refundsCents,
    arpuCents: revenue.payingBrands === 0 ? 0 : Math.round(revenue.mrrCents / revenue.payingBrands),
    payingBrands: revenue.payingBrands,
    mrrMovement: mrrMovement(plans.values(), now, metricMonths),
    packRevenueByMonth: fillMonths(months.map((m) => m.month), await packRevenueByMonth(em, since)),
    refundsByMonth: fillMonths(months.map((m) => m.month), await refundsByMonth(em, since)),
    adoption: await currentAdoption(em, apps),
    configurationCompletion: await configurationCompletion(em, apps),
    usagePerActiveApp: await usagePerActiveApp(em, apps, now),
    timeToFirstCall: await timeToFirstCall(em),
    retention: retention(plans.values(), now, retentionWindows),
    consumeP95Ms: p95 === null ? null : Math.round(p95 * 1000 * 10) / 10,
    adoptionByMonth: adoptionByMonth(slugs, plans, activated, months),
    definitions: { ...metricDefinitions },
  };
}
