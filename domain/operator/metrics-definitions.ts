// How each figure of GET /api/operator/metrics is computed, in one sentence each: the console
// shows them beside the numbers, and docs/SUPPORT.md repeats them.
import { usageWindowDays } from './metrics-usage';

export const metricMonths = 12;
export const retentionWindows = [30, 60, 90] as const;

export const metricDefinitions = {
  mrrCents: 'Sum of the monthly plan price of every brand whose subscription status (as stored from Stripe) is active or past_due now, in USD cents.',
  payingBrands: 'Brands counted in mrrCents: a plan with a price and a status of active or past_due.',
  arpuCents: 'mrrCents divided by payingBrands, rounded to the cent; 0 without paying brands.',
  packRevenueCents: 'Gross amount of every token pack purchase Stripe reported paid, ever, before refunds.',
  refundsCents: 'Every refund ever: what Stripe refunded of token packs, plus of other charges (subscription invoices) the largest cumulative amount their charge.refunded events report.',
  mrrMovement: `For each of the last ${metricMonths} UTC months, each brand's MRR at the month's end (now for the current month) against the month before, from the history of its plan and status: new (from 0), expansion (up), contraction (down, not to 0), churn (to 0); mrrCents is the month's closing MRR.`,
  packRevenueByMonth: 'Gross paid token pack purchases per UTC month of payment.',
  refundsByMonth: 'Refunds per UTC month: a pack’s when it became full (else its latest refund event), another charge’s by its latest charge.refunded event.',
  adoption: 'Per app: brands on a plan that includes the app (status not canceled) that have it active, divided by all brands on such a plan.',
  adoptionByMonth: 'Adoption at each month end: the plan from the plan history, the app counted from the activation time of apps active now (an app switched off since is not counted back).',
  configurationCompletion: 'Per app: brands with the app active that saved a configuration now different from the app’s defaults, divided by brands with it active.',
  usagePerActiveApp: `Per app over the last ${usageWindowDays} UTC days: live uses and tokens net of refunds from the usage rollup, and tokens divided by the brands with the app active now.`,
  timeToFirstCall: 'Hours from a brand’s sign-up to its storefront’s first call of any app (publishable key, live or test): median and 90th percentile over the brands that made one.',
  retention: 'For 30, 60 and 90 days: brands that first paid at least that long ago (cohort), and of them those still paying that many days after they first paid.',
  consumeP95Ms: 'The 95th percentile of POST /v1/consume latency, interpolated from this API process’s http_request_duration_seconds histogram since it started; null without requests.',
} as const;
