// One row of the operator's brand list: who the brand is, its plan and billing status, its balance,
// what it used this cycle, its active apps and when it was last active. Read for a page of brands
// at once, in one statement whose subqueries each use an index keyed by the customer, so a page of
// 50 costs the same whatever the number of brands.
import type { EntityManager } from '@mikro-orm/postgresql';
import { planOfLookupKey, type BillingStatus, type PlanKey } from '../billing/vocabulary';
import { fromBigintColumn } from '../units';

export interface BrandFacts {
  customerId: string;
  name: string;
  /** The first admin's email (the one who signed the brand up, unless removed). */
  email: string | null;
  stripeCustomerId: string | null;
  plan: PlanKey | null;
  /** Null: the brand has never subscribed (no billing row yet). */
  billingStatus: BillingStatus | null;
  /** Usable tokens now, as the brand's billing page shows them (the ledger); null is unlimited. */
  balance: number | null;
  /** Reconciled uses minus refunds since the cycle start (the calendar month's start without a cycle). */
  tokensUsedThisCycle: number;
  /** Slugs of the apps whose activation is `active`, alphabetical. */
  activeApps: string[];
  /** The latest staff login or reconciled use; null when neither happened yet. */
  lastActivityAt: Date | null;
  /** End exclusive. */
  cycle: { startAt: Date; endAt: Date } | null;
  pastDueSince: Date | null;
  createdAt: Date;
}

interface Row {
  id: string;
  name: string;
  stripe_customer_id: string | null;
  created_at: Date;
  plan: string | null;
  unlimited: boolean;
  status: BillingStatus | null;
  cycle_start_at: Date | null;
  cycle_end_at: Date | null;
  past_due_since: Date | null;
  email: string | null;
  active_apps: string[] | null;
  last_activity_at: Date | null;
  used: string | null;
  balance: string | null;
}

/**
 * The balance mirrors domain/metering/ledger-balance.ts (`ledgerBalance` + `availableTokens`), the
 * billing page's source: unexpired grants not expired by an `expiry` entry, already effective, each
 * counted at no less than zero. test/api/operator-brands.test.ts checks the two agree.
 */
const factsSql = `
  select c.id, c.name, c.stripe_customer_id, c.created_at,
         p.lookup_key as plan, (p.id is not null and p.allowance_tokens is null) as unlimited,
         b.status, b.cycle_start_at, b.cycle_end_at, b.past_due_since,
         (select u.email from users u where u.customer_id = c.id and u.role = 'admin' order by u.created_at, u.id limit 1) as email,
         (select array_agg(a.slug order by a.slug) from customer_apps ca join apps a on a.id = ca.app_id
           where ca.customer_id = c.id and ca.status = 'active') as active_apps,
         greatest(
           (select max(u.last_login_at) from users u where u.customer_id = c.id),
           (select l.created_at from ledger_entries l where l.customer_id = c.id and l.kind = 'usage' order by l.created_at desc limit 1)
         ) as last_activity_at,
         (select -sum(l.amount_tokens) from ledger_entries l
           where l.customer_id = c.id and l.kind in ('usage', 'refund')
             and l.created_at >= coalesce(b.cycle_start_at, date_trunc('month', ?::timestamptz, 'UTC')) and l.created_at < ?) as used,
         (select sum(greatest(0, (select coalesce(sum(le.amount_tokens), 0) from ledger_entries le where le.grant_id = g.id)))
            from token_grants g
           where g.customer_id = c.id and g.effective_at <= ? and (g.expires_at is null or g.expires_at > ?)
             and not exists (select 1 from ledger_entries e where e.grant_id = g.id and e.kind = 'expiry')) as balance
    from customers c
    left join customer_billing b on b.customer_id = c.id
    left join billing_plans p on p.id = b.plan_id
   where c.id = any(?::uuid[])`;

const dateOrNull = (v: Date | string | null) => (v === null ? null : new Date(v));

/** The facts of the given brands, in the order of `customerIds`; unknown ids are left out. */
export async function brandFacts(em: EntityManager, customerIds: string[], now: Date): Promise<BrandFacts[]> {
  if (customerIds.length === 0) return [];
  const rows = await em.getConnection().execute<Row[]>(factsSql, [now, now, now, now, `{${customerIds.join(',')}}`]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return customerIds.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    return [
      {
        customerId: r.id,
        name: r.name,
        email: r.email,
        stripeCustomerId: r.stripe_customer_id,
        plan: planOfLookupKey(r.plan),
        billingStatus: r.status,
        balance: r.unlimited ? null : fromBigintColumn(r.balance ?? 0, 'balance'),
        tokensUsedThisCycle: Math.max(0, fromBigintColumn(r.used ?? 0, 'tokens used')),
        activeApps: r.active_apps ?? [],
        lastActivityAt: dateOrNull(r.last_activity_at),
        cycle: r.cycle_start_at && r.cycle_end_at ? { startAt: new Date(r.cycle_start_at), endAt: new Date(r.cycle_end_at) } : null,
        pastDueSince: dateOrNull(r.past_due_since),
        createdAt: new Date(r.created_at),
      },
    ];
  });
}

/**
 * Temporal UI's list of the brand's billing workflow runs, found by the `CustomerId` search
 * attribute (docs/SUPPORT.md): the running one and those it continued from. Null without a UI URL.
 */
export function billingWorkflowUrl(uiUrl: string, namespace: string, customerId: string): string | null {
  if (!uiUrl) return null;
  const query = `CustomerId="${customerId}" AND WorkflowType="billingCycle"`;
  return `${uiUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows?query=${encodeURIComponent(query)}`;
}
