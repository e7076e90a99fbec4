// One brand as an operator sees it before acting on it: the list's facts, then its grants, the
// newest ledger entries, its pack purchases, its paid invoices and the adjustments made to it.
// Every part is read by the brand's id along an index; invoices come from the Stripe events we
// stored (we keep no invoice table), found by the Stripe customer or the metadata we set.
import { adjustmentReasonText, type AdjustmentReason } from '../billing/adjustment-rules';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../errors';
import type { GrantSource, LedgerKind, PurchaseStatus } from '../entities';
import { ledgerBalance } from '../metering/ledger-balance';
import { fromBigintColumn } from '../units';
import { brandFacts, type BrandFacts } from './brand-facts';

export const brandLedgerLimit = 50;

export interface BrandDetail extends BrandFacts {
  /** When the brand is suspended unless it pays: the billing workflow's own deadline (grace extensions included). */
  suspendAt: Date | null;
  grants: { id: string; source: GrantSource; remaining: number; expiresAt: Date | null }[];
  ledger: { id: string; kind: LedgerKind; amountTokens: number; reason: string | null; actor: string | null; createdAt: Date }[];
  packs: { purchaseId: string; packId: string; tokens: number; amountCents: number; paidAt: Date | null; refundedCents: number; status: PurchaseStatus }[];
  invoices: { invoiceId: string; amountCents: number; paidAt: Date; refundedCents: number }[];
  /** One per adjustment (a take-back spread over several grants is one), from token_adjustments. */
  adjustments: { adjustmentId: string; tokens: number; reasonCode: string; note: string | null; reason: string; expiresAt: Date | null; actor: string | null; createdAt: Date }[];
}

const int = (v: string | number | null, what: string) => fromBigintColumn(v ?? 0, what);

async function ledgerTail(em: EntityManager, customerId: string): Promise<BrandDetail['ledger']> {
  const rows = await em.getConnection().execute<{ id: string; kind: LedgerKind; amount_tokens: string; reason: string | null; actor: string | null; created_at: Date }[]>(
    `select l.id, l.kind, l.amount_tokens, l.reason, u.email as actor, l.created_at
       from ledger_entries l left join users u on u.id = l.actor_id
      where l.customer_id = ? order by l.created_at desc, l.id desc limit ?`,
    [customerId, brandLedgerLimit],
  );
  return rows.map((r) => ({ id: String(r.id), kind: r.kind, amountTokens: int(r.amount_tokens, 'ledger amount'), reason: r.reason, actor: r.actor, createdAt: new Date(r.created_at) }));
}

async function packs(em: EntityManager, customerId: string): Promise<BrandDetail['packs']> {
  const rows = await em.getConnection().execute<{ id: string; pack: string; tokens: string; amount_cents: string; paid_at: Date | null; refunded_cents: string; status: PurchaseStatus }[]>(
    `select p.id, k.lookup_key as pack, p.tokens, p.amount_cents, p.paid_at, p.refunded_cents, p.status
       from token_pack_purchases p join token_packs k on k.id = p.pack_id
      where p.customer_id = ? order by p.created_at desc`,
    [customerId],
  );
  return rows.map((r) => ({
    purchaseId: r.id,
    packId: r.pack,
    tokens: int(r.tokens, 'pack tokens'),
    amountCents: int(r.amount_cents, 'pack amount'),
    paidAt: r.paid_at ? new Date(r.paid_at) : null,
    refundedCents: int(r.refunded_cents, 'pack refund'),
    status: r.status,
  }));
}

/** Paid invoices as Stripe reported them (`invoice.paid`), with what `charge.refunded` events say was refunded. */
async function invoices(em: EntityManager, customerId: string, stripeCustomerId: string | null): Promise<BrandDetail['invoices']> {
  const rows = await em.getConnection().execute<{ invoice_id: string; amount_cents: string | null; paid_at: Date; refunded_cents: string | null }[]>(
    `with paid as (
       select distinct on (e.payload #>> '{data,object,id}') e.payload #>> '{data,object,id}' as invoice_id,
              coalesce((e.payload #>> '{data,object,amount_paid}')::bigint, 0) as amount_cents,
              to_timestamp(coalesce((e.payload #>> '{data,object,status_transitions,paid_at}')::bigint, (e.payload ->> 'created')::bigint)) as paid_at
         from stripe_events e
        where e.type = 'invoice.paid'
          and (e.payload #>> '{data,object,customer}' = ? or e.payload #>> '{data,object,parent,subscription_details,metadata,customerId}' = ?)
        order by e.payload #>> '{data,object,id}', e.received_at desc)
     select p.invoice_id, p.amount_cents, p.paid_at,
            (select max((r.payload #>> '{data,object,amount_refunded}')::bigint) from stripe_events r
              where r.type = 'charge.refunded' and r.payload #>> '{data,object,invoice}' = p.invoice_id) as refunded_cents
       from paid p order by p.paid_at desc`,
    [stripeCustomerId ?? '', customerId],
  );
  return rows.map((r) => ({ invoiceId: r.invoice_id, amountCents: int(r.amount_cents, 'invoice amount'), paidAt: new Date(r.paid_at), refundedCents: int(r.refunded_cents, 'invoice refund') }));
}

async function adjustments(em: EntityManager, customerId: string): Promise<BrandDetail['adjustments']> {
  const rows = await em.getConnection().execute<{ id: string; tokens: string; reason_code: AdjustmentReason; note: string | null; expires_at: Date | null; actor: string | null; created_at: Date }[]>(
    `select a.id, a.tokens, a.reason_code, a.note, a.expires_at, u.email as actor, a.created_at
       from token_adjustments a left join users u on u.id = a.actor_id
      where a.customer_id = ? order by a.created_at desc, a.id`,
    [customerId],
  );
  return rows.map((r) => ({
    adjustmentId: r.id,
    tokens: int(r.tokens, 'adjustment'),
    reasonCode: r.reason_code,
    note: r.note,
    reason: adjustmentReasonText(r.reason_code, r.note),
    expiresAt: r.expires_at ? new Date(r.expires_at) : null,
    actor: r.actor,
    createdAt: new Date(r.created_at),
  }));
}

/** The workflow writes its deadline with each state change; rows from before it did fall back to the default grace. */
async function suspendAt(em: EntityManager, customerId: string, facts: BrandFacts, gracePeriodMs: number): Promise<Date | null> {
  if (facts.billingStatus !== 'past_due') return null;
  const [row] = await em.getConnection().execute<{ suspend_at: Date | null }[]>(`select suspend_at from customer_billing where customer_id = ?`, [customerId]);
  if (row?.suspend_at) return new Date(row.suspend_at);
  return facts.pastDueSince ? new Date(facts.pastDueSince.getTime() + gracePeriodMs) : null;
}

export async function brandDetail(em: EntityManager, customerId: string, now: Date, gracePeriodMs: number): Promise<BrandDetail> {
  const [facts] = await brandFacts(em, [customerId], now);
  if (!facts) throw new AppError('NOT_FOUND', 'No brand has this id.', { field: 'params.customerId' });
  const balance = await ledgerBalance(em, customerId, now);
  return {
    ...facts,
    suspendAt: await suspendAt(em, customerId, facts, gracePeriodMs),
    grants: balance.grants.map((g) => ({ id: g.id, source: g.source, remaining: Math.max(0, g.remainingTokens), expiresAt: g.expiresAt })),
    ledger: await ledgerTail(em, customerId),
    packs: await packs(em, customerId),
    invoices: await invoices(em, customerId, facts.stripeCustomerId),
    adjustments: await adjustments(em, customerId),
  };
}
