// The archive of reconciled idempotency keys, against the test stack's PostgreSQL: lookups made
// in the same tick share one query, and a failed query fails only its own lookups.
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { IdempotencyArchive } from '../../../api/metering/idempotency-archive';
import { createPgPool } from '../../../domain/infra/db';
import { loadConfig } from '../../../domain/infra/config';

let pool: Pool;
let queries = 0;
const customerId = randomUUID();
const usageId = randomUUID();

beforeAll(async () => {
  pool = createPgPool(loadConfig(), 5);
  await pool.query(
    `insert into token_usage (id, customer_id, app_id, idempotency_key, request_hash, tokens, remaining_tokens, debited_at)
     values ($1, $2, $3, 'archived-key', $4, 3, 97, now())`,
    [usageId, customerId, randomUUID(), 'a'.repeat(64)],
  );
  // Count the archive's queries.
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  (pool as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = async (...args: unknown[]) => {
    queries += 1;
    return query(...args);
  };
});
afterAll(async () => {
  await pool.end();
});

it('answers a reconciled key with its first result and a new key with nothing', async () => {
  const archive = new IdempotencyArchive(pool);
  expect(await archive.lookup(customerId, 'archived-key')).toEqual({ usageId, requestHash: 'a'.repeat(64), tokens: 3, remainingTokens: 97 });
  expect(await archive.lookup(customerId, 'never-used')).toBeNull();
  expect(await archive.lookup(randomUUID(), 'archived-key')).toBeNull();
});

it('answers the lookups of one tick with one query', async () => {
  const archive = new IdempotencyArchive(pool);
  queries = 0;
  const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => archive.lookup(customerId, i % 10 === 0 ? 'archived-key' : `fresh-${i}`)));
  expect(answers.filter((a) => a?.usageId === usageId)).toHaveLength(6);
  expect(answers.filter((a) => a === null)).toHaveLength(54);
  expect(queries).toBe(1);
});

it('fails only the lookups of a failed query, and serves the next ones', async () => {
  const broken = createPgPool({ db: { ...loadConfig().db, url: 'postgresql://nobody:wrong@127.0.0.1:1/none' } }, 1);
  const failing = new IdempotencyArchive(broken);
  for (let i = 0; i < 3; i++) await expect(failing.lookup(customerId, 'archived-key')).rejects.toThrow();
  await broken.end();
  const archive = new IdempotencyArchive(pool);
  expect(await archive.lookup(customerId, 'archived-key')).not.toBeNull();
});
