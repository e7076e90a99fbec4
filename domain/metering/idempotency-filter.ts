// A per-brand Bloom filter of the idempotency keys PostgreSQL holds, so a fresh key (nearly
// every widget request) is debited without asking PostgreSQL whether it was used long ago.
//
// The one invariant: while a brand's filter exists, every key in its token_usage rows is in it.
// - The reconciler and every drain add a batch's keys before their transaction commits, under the
//   brand's advisory lock (a pass that then fails leaves false positives, which cost a lookup).
// - Only a holder of that lock creates a filter, from token_usage read under it, so no pass can
//   commit between the read and the write.
// - A filter Redis lost is absent, and absent means "look every key up" until the next pass
//   rebuilds it. A filter filling up is rebuilt twice as large; at its ceiling it only answers
//   "maybe" more often, which costs today's lookup, never a wrong answer.
// Redis losing only the newest writes (a failover, the last second of AOF) can drop bits of keys
// just reconciled; a retry of such a key is then admitted in Redis again, and the reconciler,
// finding the key in token_usage under another use, records nothing and drops the filter and the
// balance: the ledger still counts the use once (docs/DEPLOYMENT.md).
//
// Bit positions: the SHA-1 of the key, read as five big-endian 32-bit words; the first `hashes`
// of them modulo the filter's size in bits (a power of two). Lua (`redis.sha1hex`) and Node
// (`filterBits`) compute the same positions; a test checks they agree on a real Redis.
import { createHash } from 'node:crypto';
import type { RedisClient } from '../infra/redis';
import type { Sql } from '../infra/raw-sql';
import { meteringKeys } from './keys';
import type { DebitEntry } from './stream-entries';

export const filterShape = {
  hashes: 4,
  /** 2 KB: a young brand's filter. */
  minBits: 2 ** 14,
  /** 8 MB: past about 6.7 million keys the filter stops growing and answers "maybe" more often. */
  maxBits: 2 ** 26,
  /** Built with 20 bits per key, rebuilt twice as large once it is down to 10 (false positives about 1 %). */
  buildBitsPerKey: 20,
  fullBitsPerKey: 10,
  /** A dormant brand's filter goes after 30 days without a reconciled key; its next pass rebuilds it. */
  ttlMs: 30 * 24 * 3600 * 1000,
};

/** The filter's size for a brand with this many keys: a power of two within the bounds. */
export function filterBitsFor(keyCount: number): number {
  let bits = filterShape.minBits;
  while (bits < keyCount * filterShape.buildBitsPerKey && bits < filterShape.maxBits) bits *= 2;
  return bits;
}

/** The key's bit positions in a filter of `bits` bits, as the scripts compute them. */
export function filterBits(key: string, bits: number): number[] {
  const digest = createHash('sha1').update(key).digest();
  return Array.from({ length: filterShape.hashes }, (_, i) => digest.readUInt32BE(4 * i) % bits);
}

/** Sets the key's bits in a filter's bytes, in Redis' bit order (bit 0 is the high bit of byte 0). */
function setKeyBits(bytes: Buffer, key: string): void {
  for (const b of filterBits(key, bytes.length * 8)) bytes[b >> 3]! |= 0x80 >> (b & 7);
}

/** The bytes of a filter of `bits` bits holding these keys. */
export function buildFilter(keys: Iterable<string>, bits: number): Buffer {
  const bytes = Buffer.alloc(bits / 8);
  for (const key of keys) setKeyBits(bytes, key);
  return bytes;
}

/** Lua: `filterBits(key, size)`, the positions above. Spliced into the scripts that read or set bits. */
export const filterBitsLua = `
local function filterBits(key, size)
  local h = redis.sha1hex(key)
  local out = {}
  for i = 0, ${filterShape.hashes - 1} do out[#out + 1] = tonumber(string.sub(h, i * 8 + 1, i * 8 + 8), 16) % size end
  return out
end`;

/**
 * Lua for the debit script: answers LOOKUP when PostgreSQL may hold the key (the filter is absent
 * or has every bit of it). `filterKey` and `checkArg` name the script's KEYS and ARGV slots.
 */
export const filterCheckLua = (filterKey: string, keyArg: string, checkArg: string) => `
if ${checkArg} == '1' then
  local size = redis.call('STRLEN', ${filterKey}) * 8
  if size == 0 then return {'LOOKUP'} end
  local held = true
  for _, b in ipairs(filterBits(${keyArg}, size)) do
    if redis.call('GETBIT', ${filterKey}, b) == 0 then held = false break end
  end
  if held then return {'LOOKUP'} end
end`;

/**
 * Adds keys to an existing filter. KEYS: filter, key count. ARGV: lifetime ms, then the keys.
 * Returns the filter's key count, -1 when there is no filter, -2 when it is due to grow.
 */
const addLua = `${filterBitsLua}
local size = redis.call('STRLEN', KEYS[1]) * 8
if size == 0 then return -1 end
local added = 0
for i = 2, #ARGV do
  local new = false
  for _, b in ipairs(filterBits(ARGV[i], size)) do
    if redis.call('SETBIT', KEYS[1], b, 1) == 0 then new = true end
  end
  if new then added = added + 1 end
end
local n = redis.call('INCRBY', KEYS[2], added)
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[1])
if size < ${filterShape.maxBits} and n * ${filterShape.fullBitsPerKey} > size then return -2 end
return n
`;

/** KEYS: filter, key count. ARGV: the filter's bytes, its key count, lifetime ms. */
const replaceLua = `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
return 1
`;

type ScriptCall = (...args: (string | number | Buffer)[]) => Promise<unknown>;
interface WithFilterScripts {
  meteringFilterAdd: ScriptCall;
  meteringFilterReplace: ScriptCall;
}
const defined = new WeakSet<object>();

function scripts(redis: RedisClient): WithFilterScripts {
  if (!defined.has(redis)) {
    redis.defineCommand('meteringFilterAdd', { numberOfKeys: 2, lua: addLua });
    redis.defineCommand('meteringFilterReplace', { numberOfKeys: 2, lua: replaceLua });
    defined.add(redis);
  }
  return redis as unknown as WithFilterScripts;
}

/** `unpack` and argument lists are bounded, so keys go in chunks. */
const addChunk = 1_000;

/** What a batch of keys did to the filter: added, no filter to add to, or the filter is due to grow. */
export type AddOutcome = 'added' | 'absent' | 'full';

export async function addToFilter(redis: RedisClient, customerId: string, keys: string[]): Promise<AddOutcome> {
  const k = meteringKeys(customerId);
  let outcome: AddOutcome = 'added';
  for (let i = 0; i < keys.length; i += addChunk) {
    const n = (await scripts(redis).meteringFilterAdd(k.idempotencyFilter, k.idempotencyFilterCount, filterShape.ttlMs, ...keys.slice(i, i + addChunk))) as number;
    if (n === -1) return 'absent';
    if (n === -2) outcome = 'full';
  }
  return outcome;
}

/** Writes a whole filter: only a holder of the brand's advisory lock, from token_usage read under it. */
export async function replaceFilter(redis: RedisClient, customerId: string, bytes: Buffer, keyCount: number): Promise<void> {
  const k = meteringKeys(customerId);
  await scripts(redis).meteringFilterReplace(k.idempotencyFilter, k.idempotencyFilterCount, bytes, keyCount, filterShape.ttlMs);
}

/** The filter of a brand with no recorded key yet (benches and tests that debit without a reconciler). */
export const createEmptyFilter = (redis: RedisClient, customerId: string) => replaceFilter(redis, customerId, Buffer.alloc(filterBitsFor(0) / 8), 0);

/** Forgets the filter: every key is looked up until the next pass rebuilds it. */
export async function dropFilter(redis: RedisClient, customerId: string): Promise<void> {
  const k = meteringKeys(customerId);
  await redis.del(k.idempotencyFilter, k.idempotencyFilterCount);
}

const rebuildPage = 50_000;

/** Every key token_usage holds for the brand, in pages along its unique index. */
async function* recordedKeys(sql: Sql, customerId: string): AsyncGenerator<string> {
  let after = '';
  for (;;) {
    const rows = await sql.query<{ k: string }>(
      'select idempotency_key as k from token_usage where customer_id = ? and idempotency_key > ? order by idempotency_key limit ?',
      [customerId, after, rebuildPage],
    );
    for (const r of rows) yield r.k;
    if (rows.length < rebuildPage) return;
    after = rows[rows.length - 1]!.k;
  }
}

/**
 * Builds the brand's filter from token_usage, sized by its count first so the keys stream
 * through one buffer instead of being held (a large brand has millions). The caller holds the
 * brand's advisory lock, so the count and the keys agree.
 */
export async function rebuildFilter(sql: Sql, redis: RedisClient, customerId: string): Promise<number> {
  const [row] = await sql.query<{ n: number }>('select count(*)::int as n from token_usage where customer_id = ?', [customerId]);
  const bytes = Buffer.alloc(filterBitsFor(row?.n ?? 0) / 8);
  let count = 0;
  for await (const key of recordedKeys(sql, customerId)) {
    setKeyBits(bytes, key);
    count += 1;
  }
  await replaceFilter(redis, customerId, bytes, count);
  return count;
}

/**
 * Inside a transaction holding the brand's lock, before it commits: the keys of these debits
 * join the filter. `rebuild`: the reconciler's passes create a missing filter and grow a full
 * one; drains (balance rebuilds, cycle closes) only add, and leave that to the next pass.
 */
export async function rememberKeys(sql: Sql, redis: RedisClient, customerId: string, entries: DebitEntry[], opts: { rebuild: boolean }): Promise<void> {
  const keys = entries.filter((e) => e.kind === 'debit').map((e) => e.idempotencyKey);
  if (keys.length === 0) return;
  const outcome = await addToFilter(redis, customerId, keys);
  if (outcome !== 'added' && opts.rebuild) await rebuildFilter(sql, redis, customerId);
}
