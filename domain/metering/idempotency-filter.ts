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
// Bit positions: two 32-bit hashes of the key (`filterHashes`, computed in Node by the API, the
// reconciler and the rebuild alike), each modulo the filter's size in bits (a power of two, read
// by the scripts from the filter itself). Two hashes, not more: each bit is one Redis call in the
// scripts, and adding a key's four SHA-1 bits in Lua cost Redis 6-7 us per reconciled debit
// (docs/PERFORMANCE.md, fourth pass); the filter spends memory instead (40 bits per key).
import type { RedisClient } from '../infra/redis';
import type { Sql } from '../infra/raw-sql';
import { meteringKeys } from './keys';
import type { DebitEntry } from './stream-entries';

export const filterShape = {
  hashes: 2,
  /** 2 KB: a young brand's filter. */
  minBits: 2 ** 14,
  /** 8 MB: past about 3.3 million keys the filter stops growing and answers "maybe" more often. */
  maxBits: 2 ** 26,
  /** Built with 40 bits per key (false positives 0.25 %), rebuilt twice as large once down to 20 (0.9 %). */
  buildBitsPerKey: 40,
  fullBitsPerKey: 20,
  /** A dormant brand's filter goes after 30 days without a reconciled key; its next pass rebuilds it. */
  ttlMs: 30 * 24 * 3600 * 1000,
};

/** The filter's size for a brand with this many keys: a power of two within the bounds. */
export function filterBitsFor(keyCount: number): number {
  let bits = filterShape.minBits;
  while (bits < keyCount * filterShape.buildBitsPerKey && bits < filterShape.maxBits) bits *= 2;
  return bits;
}

/** murmur3's finaliser: FNV's low bits alone are weak, and a power-of-two size keeps only those. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The key's two hashes: FNV-1a over its UTF-16 code units from two offset bases, each mixed.
 * Not a cryptographic hash: a client that crafts colliding keys only sends its own requests to
 * the lookup, which answers them correctly.
 */
export function filterHashes(key: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < key.length; i += 1) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193);
  }
  return [mix(a), mix(b ^ 0x9e3779b9)];
}

/** The key's bit positions in a filter of `bits` bits, as the scripts compute them. */
export const filterBits = (key: string, bits: number): number[] => filterHashes(key).map((h) => h % bits);

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

/**
 * Lua for the debit script: answers LOOKUP when PostgreSQL may hold the key (the filter is absent
 * or has both of its bits). `firstHash` names the ARGV slot of the key's first hash, the second
 * follows it; an empty first hash skips the check (the caller has looked the key up).
 */
export const filterCheckLua = (filterKey: string, firstHash: number) => `
if ARGV[${firstHash}] ~= '' then
  local size = redis.call('STRLEN', ${filterKey}) * 8
  if size == 0 then return {'LOOKUP'} end
  if redis.call('GETBIT', ${filterKey}, tonumber(ARGV[${firstHash}]) % size) == 1
    and redis.call('GETBIT', ${filterKey}, tonumber(ARGV[${firstHash + 1}]) % size) == 1 then
    return {'LOOKUP'}
  end
end`;

/**
 * Adds keys to an existing filter. KEYS: filter, key count. ARGV: lifetime ms, then each key's
 * two hashes packed big-endian, 8 bytes a key (one argument: framing and parsing a thousand
 * numbers cost the reconciler and Redis more than the bits themselves). Returns the filter's key
 * count, -1 when there is no filter, -2 when it is due to grow.
 * One BITFIELD of SETs per 250 keys, not a SETBIT per bit: each SET answers the bit's old value
 * as SETBIT does, in order, and a reconciled key cost Redis 1.5 µs instead of 2.3 (with the AOF
 * and replicas receiving one command per 250 keys instead of two per key).
 */
const addLua = `
local size = redis.call('STRLEN', KEYS[1]) * 8
if size == 0 then return -1 end
local packed = ARGV[2]
local added = 0
local perCall = 250
for first = 1, #packed, 8 * perCall do
  local ops, n = {}, 0
  for pos = first, math.min(#packed, first + 8 * perCall - 1), 8 do
    local h1, h2 = struct.unpack('>I4I4', packed, pos)
    ops[n + 1], ops[n + 2], ops[n + 3], ops[n + 4] = 'SET', 'u1', h1 % size, 1
    ops[n + 5], ops[n + 6], ops[n + 7], ops[n + 8] = 'SET', 'u1', h2 % size, 1
    n = n + 8
  end
  local old = redis.call('BITFIELD', KEYS[1], unpack(ops))
  for i = 1, #old, 2 do
    if old[i] == 0 or old[i + 1] == 0 then added = added + 1 end
  end
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

function packHashes(keys: string[]): Buffer {
  const out = Buffer.allocUnsafe(keys.length * 8);
  keys.forEach((key, i) => {
    const [a, b] = filterHashes(key);
    out.writeUInt32BE(a, i * 8);
    out.writeUInt32BE(b, i * 8 + 4);
  });
  return out;
}

/** What a batch of keys did to the filter: added, no filter to add to, or the filter is due to grow. */
export type AddOutcome = 'added' | 'absent' | 'full';

export async function addToFilter(redis: RedisClient, customerId: string, keys: string[]): Promise<AddOutcome> {
  const k = meteringKeys(customerId);
  let outcome: AddOutcome = 'added';
  for (let i = 0; i < keys.length; i += addChunk) {
    const n = (await scripts(redis).meteringFilterAdd(k.idempotencyFilter, k.idempotencyFilterCount, filterShape.ttlMs, packHashes(keys.slice(i, i + addChunk)))) as number;
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
