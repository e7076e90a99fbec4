// The balance as the ledger says it: the truth that the Redis cache is rebuilt from.
import type { EntityManager } from '@mikro-orm/postgresql';
import { asSql, type Sql } from '../infra/raw-sql';
import type { GrantSource } from '../entities';
import { fromBigintColumn } from '../units';
import type { CachedBalance } from './scripts';

export interface GrantBalance {
  id: string;
  source: GrantSource;
  grantedTokens: number;
  remainingTokens: number;
  effectiveAt: Date;
  /** End exclusive; null never expires. */
  expiresAt: Date | null;
}

export interface LedgerBalance {
  status: 'active' | 'suspended';
  unlimited: boolean;
  /** A plan that is not canceled: its allowance renews, so a shortage is fixed by a token pack. */
  hasPlan: boolean;
  /** Unexpired grants in burn order: plan allowance first, then packs and adjustments oldest first. */
  grants: GrantBalance[];
}

interface GrantRow {
  id: string;
  source: GrantSource;
  amount_tokens: string;
  remaining: string;
  effective_at: Date;
  expires_at: Date | null;
}

export async function ledgerBalance(tx: EntityManager | Sql, customerId: string, now: Date): Promise<LedgerBalance> {
  const sql = asSql(tx);
  const rows = await sql.query<GrantRow>(
    `select g.id, g.source, g.amount_tokens, coalesce(sum(l.amount_tokens), 0) as remaining, g.effective_at, g.expires_at
       from token_grants g left join ledger_entries l on l.grant_id = g.id
      where g.customer_id = ? and (g.expires_at is null or g.expires_at > ?)
        -- An allowance expired by the ledger (a cycle closed early, or replaced) is over too.
        and not exists (select 1 from ledger_entries e where e.grant_id = g.id and e.kind = 'expiry')
      group by g.id
      order by case g.source when 'plan_allowance' then 0 else 1 end, g.effective_at, g.created_at, g.id`,
    [customerId, now],
  );
  const [billing] = await sql.query<{ status: string; unlimited: boolean; has_plan: boolean }>(
    `select b.status, (p.id is not null and p.allowance_tokens is null) as unlimited, (p.id is not null and b.status <> 'canceled') as has_plan
       from customer_billing b left join billing_plans p on p.id = b.plan_id where b.customer_id = ?`,
    [customerId],
  );
  return {
    status: billing?.status === 'suspended' ? 'suspended' : 'active',
    unlimited: billing?.unlimited === true,
    hasPlan: billing?.has_plan === true,
    grants: rows.map((r) => ({
      id: r.id,
      source: r.source,
      grantedTokens: fromBigintColumn(r.amount_tokens, 'grant amount'),
      remainingTokens: fromBigintColumn(r.remaining, 'grant remaining'),
      effectiveAt: new Date(r.effective_at),
      expiresAt: r.expires_at ? new Date(r.expires_at) : null,
    })),
  };
}

export function toCachedBalance(b: LedgerBalance): CachedBalance {
  return {
    status: b.status,
    unlimited: b.unlimited,
    hasPlan: b.hasPlan,
    grants: b.grants
      .filter((g) => g.remainingTokens > 0)
      .map((g) => ({ id: g.id, remainingTokens: g.remainingTokens, effectiveAtMs: g.effectiveAt.getTime(), expiresAtMs: g.expiresAt?.getTime() ?? null })),
  };
}

/** Tokens usable at `now` (grants not yet effective are not counted). */
export function availableTokens(b: LedgerBalance, now: Date): number | null {
  if (b.unlimited) return null;
  return b.grants.filter((g) => g.effectiveAt <= now).reduce((sum, g) => sum + Math.max(0, g.remainingTokens), 0);
}
