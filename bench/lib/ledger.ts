// What PostgreSQL says after the load: has every debit arrived, how late, and does the ledger
// add up to exactly what the API answered 200 for.
import type { MikroORM } from '@mikro-orm/postgresql';

const uuidArray = (ids: string[]) => `{${ids.join(',')}}`;

export async function usageCount(orm: MikroORM, customerIds: string[]): Promise<number> {
  const [row] = await orm.em.getConnection().execute<{ n: string }[]>('select count(*) as n from token_usage where customer_id = any(?::uuid[])', [uuidArray(customerIds)]);
  return Number(row?.n ?? 0);
}

/** Polls until the reconciler has written `expected` usage rows; returns the last count seen. */
export async function waitForReconciled(orm: MikroORM, customerIds: string[], expected: number, timeoutMs: number, pollMs = 250): Promise<{ count: number; waitedMs: number }> {
  const started = Date.now();
  let count = await usageCount(orm, customerIds);
  while (count < expected && Date.now() - started < timeoutMs) {
    await new Promise((r) => setTimeout(r, pollMs));
    count = await usageCount(orm, customerIds);
  }
  return { count, waitedMs: Date.now() - started };
}

/** p99 of created_at − debited_at (ms) over the debits made in [from, to). */
export async function reconcileLagP99(orm: MikroORM, customerIds: string[], from: Date, to: Date): Promise<{ p99Ms: number; p50Ms: number; rows: number }> {
  const [row] = await orm.em.getConnection().execute<{ p99: number | null; p50: number | null; n: string }[]>(
    `select percentile_cont(0.99) within group (order by extract(epoch from created_at - debited_at) * 1000) as p99,
            percentile_cont(0.5) within group (order by extract(epoch from created_at - debited_at) * 1000) as p50,
            count(*) as n
       from token_usage where customer_id = any(?::uuid[]) and debited_at >= ? and debited_at < ?`,
    [uuidArray(customerIds), from, to],
  );
  return { p99Ms: Number(row?.p99 ?? NaN), p50Ms: Number(row?.p50 ?? NaN), rows: Number(row?.n ?? 0) };
}

export interface Exactness {
  usageRows: number;
  /** Sum of −amount_tokens over the usage ledger entries. */
  ledgerTokens: number;
  expectedTokens: number;
  exact: boolean;
}

export async function ledgerExactness(orm: MikroORM, customerIds: string[], expectedUses: number, costTokens: number): Promise<Exactness> {
  const [row] = await orm.em.getConnection().execute<{ tokens: string | null }[]>(
    `select sum(-amount_tokens) as tokens from ledger_entries where customer_id = any(?::uuid[]) and kind = 'usage'`,
    [uuidArray(customerIds)],
  );
  const usageRows = await usageCount(orm, customerIds);
  const ledgerTokens = Number(row?.tokens ?? 0);
  const expectedTokens = expectedUses * costTokens;
  return { usageRows, ledgerTokens, expectedTokens, exact: usageRows === expectedUses && ledgerTokens === expectedTokens };
}

export async function appCostTokens(orm: MikroORM, slug: string): Promise<number> {
  const [row] = await orm.em.getConnection().execute<{ cost_tokens: string }[]>('select cost_tokens from apps where slug = ?', [slug]);
  if (!row) throw new Error(`app ${slug} is not seeded`);
  return Number(row.cost_tokens);
}
