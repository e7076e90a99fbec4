// `npm run bench:usage`: usage analytics of one brand over 90 days, through the usage_hourly
// rollup and, in the same run, the same question asked of token_usage directly. It loads 10
// million token_usage rows for one brand (generate_series in PostgreSQL, not a JS loop), builds
// the rollup from them with the migration's backfill query, then times both queries alternately.
// The rows live in a scratch schema (`bench_usage`, unlogged tables: what is measured is reads)
// dropped at the end; `apps` and `api_keys` are the bench database's own. docs/PERFORMANCE.md.
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createOrm } from '../domain/infra/db';
import { createRedis } from '../domain/infra/redis';
import type { Sql } from '../domain/infra/raw-sql';
import { usageAnalytics } from '../domain/usage/analytics';
import { dayMs, dayOf, usageRange } from '../domain/usage/range';
import { createBrands } from './lib/brands';
import { percentile } from './lib/load';
import { startBenchStack } from './lib/stack';

const rows = Number(process.env.BENCH_USAGE_ROWS ?? 10_000_000);
const rollupRounds = Number(process.env.BENCH_USAGE_ROLLUP_ROUNDS ?? 60);
const directRounds = Number(process.env.BENCH_USAGE_DIRECT_ROUNDS ?? 10);
const days = 90;
const schema = 'bench_usage';
const say = (line: string) => process.stdout.write(`${line}\n`);

/** The rollup's answer as the route computes it, minus HTTP: same function, keys included. */
const direct = `select date_trunc('day', u.debited_at, 'UTC') as at, a.slug, a.name, count(*) as uses, sum(u.tokens) as tokens
    from token_usage u join apps a on a.id = u.app_id
   where u.customer_id = $1 and u.debited_at >= $2 and u.debited_at < $3
   group by 1, 2, 3 order by 1, 2`;

function sqlOf(c: Client): Sql {
  return {
    query: async <R>(text: string, values: readonly unknown[]) => {
      let i = 0;
      return (await c.query({ text: text.replace(/\?/g, () => `$${++i}`), values: values as unknown[] })).rows as R[];
    },
  };
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

async function load(c: Client, customerId: string, startMs: number): Promise<number> {
  const apps = (await c.query<{ id: string; cost_tokens: number }>('select id, cost_tokens from apps order by slug limit 5')).rows;
  const keys = (await c.query<{ id: string }>('select id from api_keys where customer_id = $1', [customerId])).rows.map((k) => k.id);
  // Three keys and uses with none (the portal), spread over every hour of the 90 days.
  const keyIds = [keys[0]!, randomUUID(), randomUUID(), null];
  await c.query(`drop schema if exists ${schema} cascade`);
  await c.query(`create schema ${schema}`);
  await c.query(`create unlogged table ${schema}.token_usage (like public.token_usage including defaults including constraints)`);
  await c.query(`create unlogged table ${schema}.usage_hourly (like public.usage_hourly including defaults including constraints)`);
  const stepMs = (days * dayMs) / rows;
  const chunk = 1_000_000;
  for (let from = 0; from < rows; from += chunk) {
    const t = Date.now();
    await c.query(
      `insert into ${schema}.token_usage (id, customer_id, app_id, api_key_id, idempotency_key, request_hash, tokens, debited_at, created_at)
       select gen_random_uuid(), $1, ($2::uuid[])[1 + g % 5], ($3::uuid[])[1 + (g / 5) % 4], 'bench-' || g, 'h', ($4::int[])[1 + g % 5],
              to_timestamp(($5::double precision + g * $6::double precision) / 1000.0), now()
         from generate_series($7::bigint, $8::bigint) g`,
      [customerId, `{${apps.map((a) => a.id).join(',')}}`, `{${keyIds.map((k) => k ?? 'NULL').join(',')}}`, `{${apps.map((a) => a.cost_tokens).join(',')}}`, startMs, stepMs, from, Math.min(rows, from + chunk) - 1],
    );
    say(`  loaded ${Math.min(rows, from + chunk).toLocaleString('en-US')} token_usage rows (${((Date.now() - t) / 1000).toFixed(1)} s for this million)`);
  }
  // token_usage's own indexes, built once the rows are in (faster than row by row; same result).
  let t = Date.now();
  await c.query(`alter table ${schema}.token_usage add primary key (id)`);
  await c.query(`create unique index on ${schema}.token_usage (customer_id, idempotency_key)`);
  await c.query(`create index on ${schema}.token_usage (customer_id, debited_at)`);
  say(`  token_usage indexes built in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  // The rollup, by the migration's backfill (no refunds here).
  t = Date.now();
  await c.query(`insert into ${schema}.usage_hourly (customer_id, mode, hour, app_id, api_key_id, uses, tokens, refunded_uses, refunded_tokens)
      select u.customer_id, coalesce(k.mode, 'live'), date_trunc('hour', u.debited_at, 'UTC'), u.app_id, u.api_key_id, count(*), sum(u.tokens), 0, 0
        from ${schema}.token_usage u left join api_keys k on k.id = u.api_key_id group by 1, 2, 3, 4, 5`);
  await c.query(`create unique index usage_hourly_bucket on ${schema}.usage_hourly (customer_id, mode, hour, app_id, api_key_id) nulls not distinct`);
  await c.query(`vacuum analyze ${schema}.token_usage`);
  await c.query(`vacuum analyze ${schema}.usage_hourly`);
  const n = Number((await c.query<{ n: string }>(`select count(*) as n from ${schema}.usage_hourly`)).rows[0]!.n);
  say(`  rollup: ${n.toLocaleString('en-US')} rows built in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  return n;
}

async function main(): Promise<void> {
  const stack = await startBenchStack();
  const orm = await createOrm(stack.config);
  const redis = createRedis(stack.config);
  const owner = new Client({ connectionString: stack.config.db.migrationUrl, options: `-c search_path=${schema},public` });
  try {
    await owner.connect();
    const [brand] = await createBrands(orm, redis, { runId: randomUUID().slice(0, 8), count: 1, tokens: 1_000, app: 'pd-calculator' });
    const todayMs = Math.floor(Date.now() / dayMs) * dayMs;
    const startMs = todayMs - (days - 1) * dayMs;
    say(`bench:usage: ${rows.toLocaleString('en-US')} token_usage rows for one brand over ${days} days`);
    const rollupRows = await load(owner, brand!.customerId, startMs);
    const range = usageRange(dayOf(startMs), dayOf(todayMs), 'day', 'live');
    const sql = sqlOf(owner);
    // Same answer both ways, or the comparison means nothing.
    const viaRollup = await usageAnalytics(sql, brand!.customerId, range, { withKeys: true });
    const viaTable = (await owner.query<{ uses: string }>(direct, [brand!.customerId, new Date(range.startMs), new Date(range.endMs)])).rows;
    const tableUses = viaTable.reduce((s, r) => s + Number(r.uses), 0);
    if (viaRollup.totals.uses !== rows || tableUses !== rows) throw new Error(`the two queries disagree: rollup ${viaRollup.totals.uses}, token_usage ${tableUses}, loaded ${rows}`);
    const rollupMs: number[] = [];
    const directMs: number[] = [];
    // Alternated, so both see the same machine (it is shared and noisy).
    for (let i = 0; i < Math.max(rollupRounds, directRounds); i++) {
      if (i < rollupRounds) rollupMs.push(await timed(() => usageAnalytics(sql, brand!.customerId, range, { withKeys: true })));
      if (i < directRounds) directMs.push(await timed(() => owner.query(direct, [brand!.customerId, new Date(range.startMs), new Date(range.endMs)])));
    }
    const p = (xs: number[], q: number) => percentile(Float64Array.from(xs), q);
    say(`90-day analytics via usage_hourly (${rollupRows.toLocaleString('en-US')} rollup rows, whole route function incl. keys): p50 ${p(rollupMs, 50).toFixed(1)} ms, p99 ${p(rollupMs, 99).toFixed(1)} ms over ${rollupRounds} runs`);
    say(`same question of token_usage directly (per day and app, no refunds, no keys): p50 ${p(directMs, 50).toFixed(1)} ms, p99 ${p(directMs, 99).toFixed(1)} ms over ${directRounds} runs`);
    say(`usage_rollup_p50_ms=${p(rollupMs, 50).toFixed(1)} usage_rollup_p99_ms=${p(rollupMs, 99).toFixed(1)} token_usage_p50_ms=${p(directMs, 50).toFixed(1)} token_usage_p99_ms=${p(directMs, 99).toFixed(1)} rows=${rows}`);
  } finally {
    await owner.query(`drop schema if exists ${schema} cascade`).catch(() => undefined);
    await owner.end().catch(() => undefined);
    redis.disconnect();
    await orm.close();
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
