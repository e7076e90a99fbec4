// Scratch state of a run, created before and removed after it: the pg_direct tables in their
// own schema, and the Redis keys of each target in a database of its own.
import Redis from 'ioredis';
import { Client } from 'pg';
import { activeCustomersKey } from '../../domain/metering/keys';

export const pgDirectSchema = 'bench';

async function withClient<T>(databaseUrl: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Customers are numbered 1..count; each row starts with `tokens`. */
export async function createPgDirectTables(databaseUrl: string, customers: number, tokens: number): Promise<void> {
  await withClient(databaseUrl, async (c) => {
    await c.query(`drop schema if exists ${pgDirectSchema} cascade`);
    await c.query(`create schema ${pgDirectSchema}`);
    await c.query(`create table ${pgDirectSchema}.bench_balances (customer_id int primary key, tokens bigint not null check (tokens >= 0))`);
    // Same shape of constraint as token_usage: one row per (customer, idempotency key).
    await c.query(`create table ${pgDirectSchema}.bench_usage (
      id bigserial primary key, customer_id int not null, idempotency_key varchar(255) not null, tokens bigint not null,
      created_at timestamptz not null default now(), unique (customer_id, idempotency_key))`);
    await c.query(`insert into ${pgDirectSchema}.bench_balances select g, $1 from generate_series(1, $2) g`, [tokens, customers]);
  });
}

export async function pgDirectUsageRows(databaseUrl: string): Promise<number> {
  return withClient(databaseUrl, async (c) => Number((await c.query<{ n: string }>(`select count(*) as n from ${pgDirectSchema}.bench_usage`)).rows[0]?.n ?? 0));
}

export async function dropPgDirectTables(databaseUrl: string): Promise<void> {
  await withClient(databaseUrl, (c) => c.query(`drop schema if exists ${pgDirectSchema} cascade`));
}

/**
 * Redis databases of a bench run, never the app's 0: koa_lua writes to 1, where no reconciler
 * reads; consume and its reconciler use 2, so streams that test runs leave in 0 (for customers
 * no longer in PostgreSQL) do not keep the bench's reconciler busy failing on them.
 */
export const redisDbs = { koaLua: 1, consume: 2 } as const;

export function redisDbUrl(redisUrl: string, db: number): string {
  const url = new URL(redisUrl);
  url.pathname = `/${db}`;
  return url.toString();
}

/** Deletes every key of the given customers (bench-only) in that database, and their activity marks. */
export async function dropCustomerKeys(redisUrl: string, customerIds: string[]): Promise<number> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  let removed = 0;
  try {
    for (const id of customerIds) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `{c:${id}}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) removed += await redis.unlink(...keys);
      } while (cursor !== '0');
    }
    for (const id of customerIds) await redis.zrem(activeCustomersKey(id), id);
  } finally {
    redis.disconnect();
  }
  return removed;
}
