// Revenue as stored from Stripe's objects: MRR from the billing read model (customer_billing,
// written from each subscription as Stripe reported it) and its history (subscription_mrr_changes),
// pack revenue from paid token pack purchases, refunds from the purchases and Stripe's
// charge.refunded events. All amounts in USD cents, the only currency we sell in.
import type { EntityManager } from '@mikro-orm/postgresql';
import { fromBigintColumn } from '../units';
import type { PlanChange } from './adoption-rates';

export interface RevenueNow {
  mrrCents: number;
  payingBrands: number;
  packRevenueCents: number;
  refundsCents: number;
}

export interface MonthCents {
  month: string;
  cents: number;
}

const int = (v: string | number | null | undefined, what: string) => fromBigintColumn(v ?? 0, what);

/** Statuses whose subscription Stripe still bills: past_due is owed and counted until it ends. */
export const payingStatuses = ['active', 'past_due'] as const;

/**
 * Refunds of charges that are not a token pack's (subscription invoices): per charge, the largest
 * amount_refunded its charge.refunded events report (Stripe's figure is cumulative, so events
 * arriving out of order change nothing), dated by its latest event.
 */
const invoiceRefundsSql = `
  select max((e.payload #>> '{data,object,amount_refunded}')::bigint) as cents, max(e.received_at) as at
    from stripe_events e
   where e.type = 'charge.refunded'
     and e.payload #>> '{data,object,metadata,purchaseId}' is null
     and not exists (select 1 from token_pack_purchases p where p.stripe_payment_intent_id = e.payload #>> '{data,object,payment_intent}')
   group by e.payload #>> '{data,object,id}'`;

/**
 * A pack's refund is dated when it became full, else by its latest charge.refunded event, else
 * when it was paid. The events are grouped once (a partial index holds them), not looked up per row.
 */
const packRefundsSql = `
  select p.refunded_cents as cents, coalesce(p.refunded_at, r.at, p.paid_at, p.created_at) as at
    from token_pack_purchases p
    left join (select e.payload #>> '{data,object,payment_intent}' as intent, max(e.received_at) as at
                 from stripe_events e where e.type = 'charge.refunded' group by 1) r on r.intent = p.stripe_payment_intent_id
   where p.refunded_cents > 0`;

export async function revenueNow(em: EntityManager): Promise<RevenueNow> {
  const conn = em.getConnection();
  const [mrr] = await conn.execute<{ mrr: string | null; paying: string }[]>(
    `select sum(p.price_cents) as mrr, count(*) filter (where p.price_cents > 0) as paying
       from customer_billing b join billing_plans p on p.id = b.plan_id where b.status in ('active', 'past_due')`,
  );
  const [packs] = await conn.execute<{ cents: string | null }[]>(`select sum(amount_cents) as cents from token_pack_purchases where paid_at is not null`);
  const [refunds] = await conn.execute<{ cents: string | null }[]>(`select sum(cents) as cents from ((${packRefundsSql}) union all (${invoiceRefundsSql})) r`);
  return {
    mrrCents: int(mrr?.mrr, 'mrr'),
    payingBrands: int(mrr?.paying, 'paying brands'),
    packRevenueCents: int(packs?.cents, 'pack revenue'),
    refundsCents: int(refunds?.cents, 'refunds'),
  };
}

/** Per UTC month from `since`; months without any are left out (the caller fills them). */
export async function packRevenueByMonth(em: EntityManager, since: Date): Promise<MonthCents[]> {
  const rows = await em.getConnection().execute<{ month: string; cents: string }[]>(
    `select to_char(date_trunc('month', paid_at, 'UTC'), 'YYYY-MM') as month, sum(amount_cents) as cents
       from token_pack_purchases where paid_at >= ? group by 1`,
    [since],
  );
  return rows.map((r) => ({ month: r.month, cents: int(r.cents, 'pack revenue') }));
}

export async function refundsByMonth(em: EntityManager, since: Date): Promise<MonthCents[]> {
  const rows = await em.getConnection().execute<{ month: string; cents: string }[]>(
    `select to_char(date_trunc('month', at, 'UTC'), 'YYYY-MM') as month, sum(cents) as cents
       from ((${packRefundsSql}) union all (${invoiceRefundsSql})) r where at >= ? group by 1`,
    [since],
  );
  return rows.map((r) => ({ month: r.month, cents: int(r.cents, 'refunds') }));
}

/** Every brand's MRR history, oldest first (a few rows a brand: one per plan or status change). */
export async function planChanges(em: EntityManager, until: Date): Promise<PlanChange[]> {
  const rows = await em.getConnection().execute<{ customer_id: string; changed_at: Date; mrr_cents: string; plan_key: string | null; status: string | null }[]>(
    'select customer_id, changed_at, mrr_cents, plan_key, status from subscription_mrr_changes where changed_at <= ? order by customer_id, changed_at, id',
    [until],
  );
  return rows.map((r) => ({ customerId: r.customer_id, at: new Date(r.changed_at), mrrCents: int(r.mrr_cents, 'mrr'), planKey: r.plan_key, status: r.status }));
}

/** Months of `series` filled with 0 where nothing happened, in the order of `months`. */
export function fillMonths(months: readonly string[], series: readonly MonthCents[]): MonthCents[] {
  const byMonth = new Map(series.map((s) => [s.month, s.cents]));
  return months.map((month) => ({ month, cents: byMonth.get(month) ?? 0 }));
}
