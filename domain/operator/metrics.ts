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
  const monthKeys = months.map((m) => m.month);
  const since = months[0]!.startAt;
  const apps = await catalogApps(em);
  // Independent reads, each on its own pooled connection: PostgreSQL runs them side by side.
  const [revenue, changes, activated, packs, refunds, adoption, completion, usage, firstCall] = await Promise.all([
    revenueNow(em),
    planChanges(em, now),
    activationDates(em),
    packRevenueByMonth(em, since),
    refundsByMonth(em, since),
    currentAdoption(em, apps),
    configurationCompletion(em, apps),
    usagePerActiveApp(em, apps, now),
    timeToFirstCall(em),
  ]);
  const plans = byBrand(changes);
  const p95 = histogramQuantile(consumeLatencySeconds, 0.95);
  return {
    mrrCents: revenue.mrrCents,
    packRevenueCents: revenue.packRevenueCents,
    refundsCents: revenue.refundsCents,
    arpuCents: revenue.payingBrands === 0 ? 0 : Math.round(revenue.mrrCents / revenue.payingBrands),
    payingBrands: revenue.payingBrands,
    mrrMovement: mrrMovement(plans.values(), now, metricMonths),
    packRevenueByMonth: fillMonths(monthKeys, packs),
    refundsByMonth: fillMonths(monthKeys, refunds),
    adoption,
    configurationCompletion: completion,
    usagePerActiveApp: usage,
    timeToFirstCall: firstCall,
    retention: retention(plans.values(), now, retentionWindows),
    consumeP95Ms: p95 === null ? null : Math.round(p95 * 1000 * 10) / 10,
    adoptionByMonth: adoptionByMonth(apps.map((a) => a.slug), plans, activated, months),
    definitions: { ...metricDefinitions },
  };
}
