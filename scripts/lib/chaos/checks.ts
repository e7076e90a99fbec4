// What must hold after every fault, once the storm is paused and the stack has settled:
// every debit answered 200 is in `token_usage` exactly once and the ledger's usage equals the
// recorded uses, the cached balances equal the ledger, the billing workflows' usage equals the ledger, and each pack
// paid for is credited once.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client as TemporalClient } from '@temporalio/client';
import { ledgerBalance } from '../../../domain/metering/ledger-balance';
import { readCachedBalance } from '../../../domain/metering/scripts';
import { redisKeys, type RedisClient } from '../../../domain/infra/redis';
import { cycleStateQuery } from '../../../workflows/billing/messages';
import { sleep } from './http';
import type { Debit } from './storm';

export interface Verdict {
  /** Keys answered 200 whose debit is missing from `token_usage`. */
  lost: string[];
  /** Keys debited more than once: two usage ids answered for one key. */
  double: string[];
  /** Anything else that did not add up, one line each. */
  problems: string[];
}

export interface CheckContext {
  orm: MikroORM;
  redis: RedisClient;
  temporal?: TemporalClient;
  customerIds: string[];
  /** Brands whose billing workflow runs, to compare its usage with the ledger. */
  billedCustomerIds: string[];
  costTokens: number;
}

const uuidArray = (ids: string[]) => `{${ids.join(',')}}`;

/** Polls `check` until it returns nothing, or the time is up; returns what it said last. */
async function settled<T>(check: () => Promise<T[]>, timeoutMs: number): Promise<T[]> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const left = await check().catch((err: unknown) => [err as T]);
    if (left.length === 0 || Date.now() > end) return left;
    await sleep(250);
  }
}

async function missingUsage(c: CheckContext, debits: Debit[]): Promise<Debit[]> {
  const ids = debits.flatMap((d) => [...d.usageIds]);
  if (ids.length === 0) return [];
  const rows = await c.orm.em.fork().getConnection().execute<{ id: string }[]>('select id from token_usage where id = any(?::uuid[])', [uuidArray(ids)]);
  const found = new Set(rows.map((r) => r.id));
  return debits.filter((d) => [...d.usageIds].some((id) => !found.has(id)));
}

async function streamsLeft(c: CheckContext): Promise<string[]> {
  const lengths = await Promise.all(c.customerIds.map((id) => c.redis.xlen(redisKeys.customer(id, 'debits'))));
  return c.customerIds.filter((_id, i) => lengths[i]! > 0);
}

export async function checkLedger(c: CheckContext, debits: Debit[], drainTimeoutMs: number): Promise<Verdict> {
  const verdict: Verdict = { lost: [], double: [], problems: [] };
  const drained = await settled(() => streamsLeft(c), drainTimeoutMs);
  if (drained.length) verdict.problems.push(`debit streams not drained within ${drainTimeoutMs / 1000} s: ${drained.join(', ')}`);
  const missing = await settled(() => missingUsage(c, debits), drainTimeoutMs);
  verdict.lost.push(...missing.map((d) => d.key));
  verdict.double.push(...debits.filter((d) => d.usageIds.size > 1).map((d) => d.key));

  // Totals, not one ledger row per use: the ledger may group a batch's uses in fewer rows.
  const [sums] = await c.orm.em.fork().getConnection().execute<{ rows: string; keys: string; mispriced: string; used: string | null; ledger: string | null }[]>(
    `select count(*) as rows, count(distinct (customer_id, idempotency_key)) as keys, count(*) filter (where tokens <> ?) as mispriced, sum(tokens) as used,
            (select -sum(amount_tokens) from ledger_entries where customer_id = any(?::uuid[]) and kind = 'usage') as ledger
       from token_usage where customer_id = any(?::uuid[])`,
    [c.costTokens, uuidArray(c.customerIds), uuidArray(c.customerIds)],
  );
  if (sums!.rows !== sums!.keys) verdict.problems.push(`token_usage holds ${sums!.rows} rows for ${sums!.keys} idempotency keys`);
  if (Number(sums!.mispriced) > 0) verdict.problems.push(`${sums!.mispriced} uses recorded at another price than ${c.costTokens} token(s)`);
  const used = Number(sums!.used ?? 0);
  const ledger = Number(sums!.ledger ?? 0);
  if (ledger !== used) verdict.problems.push(`the ledger's usage is ${ledger} tokens, the recorded uses ${used}`);

  for (const customerId of c.customerIds) {
    const cached = await readCachedBalance(c.redis, customerId, Date.now());
    // No cache is not a mismatch: the next debit rebuilds it from the ledger.
    if (!cached || cached.availableTokens === null) continue;
    const ledger = await ledgerBalance(c.orm.em.fork(), customerId, new Date());
    const ledgerTokens = ledger.grants.filter((g) => g.effectiveAt.getTime() <= Date.now()).reduce((sum, g) => sum + g.remainingTokens, 0);
    if (cached.availableTokens !== ledgerTokens) verdict.problems.push(`brand ${customerId}: cached balance ${cached.availableTokens} ≠ ledger ${ledgerTokens}`);
  }
  return verdict;
}

/** The billing workflow's usage of the cycle against the ledger's, once its batches have arrived. */
export async function checkWorkflowUsage(c: CheckContext, timeoutMs: number): Promise<string[]> {
  if (!c.temporal) return [];
  const temporal = c.temporal;
  return settled(async () => {
    const problems: string[] = [];
    for (const customerId of c.billedCustomerIds) {
      const [row] = await c.orm.em.fork().getConnection().execute<{ tokens: string | null }[]>(
        `select -sum(amount_tokens) as tokens from ledger_entries where customer_id = ? and kind in ('usage', 'refund')`,
        [customerId],
      );
      const state = await temporal.workflow.getHandle(`billing:${customerId}`).query(cycleStateQuery);
      const ledgerTokens = Number(row?.tokens ?? 0);
      if (state.usage.tokens !== ledgerTokens) problems.push(`brand ${customerId}: workflow usage ${state.usage.tokens} tokens ≠ ledger ${ledgerTokens}`);
    }
    return problems;
  }, timeoutMs).then((left) => left.map(String));
}

/** Each pack paid for is one grant, whatever retries and redeliveries the faults caused. */
export async function checkPacks(c: CheckContext, purchaseIds: string[]): Promise<string[]> {
  if (purchaseIds.length === 0) return [];
  const rows = await c.orm.em.fork().getConnection().execute<{ source_ref: string; n: string }[]>(
    `select source_ref, count(*) as n from token_grants where source = 'token_pack' and source_ref = any(?::text[]) group by source_ref`,
    [`{${purchaseIds.join(',')}}`],
  );
  const n = new Map(rows.map((r) => [r.source_ref, Number(r.n)]));
  return purchaseIds.filter((id) => n.get(id) !== 1).map((id) => `pack ${id} credited ${n.get(id) ?? 0} times`);
}
