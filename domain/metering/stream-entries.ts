// Reading a customer's debit stream as the consumer group sees it.
import type { RedisClient } from '../infra/redis';
import { meteringKeys, reconcileGroup } from './keys';

/** One debit as the script wrote it. Allocation: grant id → tokens (empty when unlimited). */
export interface DebitEntry {
  streamId: string;
  /** A refund gives a debit's allocation back; it carries the debit's usage id. */
  kind: 'debit' | 'refund';
  usageId: string;
  idempotencyKey: string;
  requestHash: string;
  appId: string;
  appSlug: string;
  costTokens: number;
  allocation: { grantId: string; tokens: number }[];
  remainingTokens: number | null;
  debitedAtMs: number;
  sessionId: string | null;
  metadata: Record<string, unknown> | null;
  apiKeyId: string | null;
}

export type RawEntry = [string, string[]];

export function parseEntry([streamId, fields]: RawEntry): DebitEntry {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
  return {
    streamId,
    kind: f.kind === 'refund' ? 'refund' : 'debit',
    usageId: f.u ?? '',
    idempotencyKey: f.k ?? '',
    requestHash: f.h ?? '',
    appId: f.a ?? '',
    appSlug: f.app ?? '',
    costTokens: Number(f.c),
    allocation: (f.al ?? '')
      .split(';')
      .filter(Boolean)
      .map((part) => {
        const [grantId = '', tokens = '0'] = part.split(':');
        return { grantId, tokens: Number(tokens) };
      }),
    remainingTokens: f.r === undefined || f.r === '-1' ? null : Number(f.r),
    debitedAtMs: Number(f.t),
    sessionId: f.s || null,
    metadata: f.m ? (JSON.parse(f.m) as Record<string, unknown>) : null,
    apiKeyId: f.ky || null,
  };
}

const isNoGroup = (err: unknown) => err instanceof Error && err.message.startsWith('NOGROUP');

/**
 * Entries left pending by a consumer idle for at least `claimIdleMs` (a crashed reconciler;
 * null skips the claim), then new ones, up to `count` in all. A stream lost with Redis reads as
 * empty.
 */
export async function readDebits(redis: RedisClient, customerId: string, consumer: string, claimIdleMs: number | null, count: number): Promise<DebitEntry[]> {
  const key = meteringKeys(customerId).debits;
  try {
    let entries: DebitEntry[] = [];
    if (claimIdleMs !== null) {
      const claimed = (await redis.xautoclaim(key, reconcileGroup, consumer, claimIdleMs, '0-0', 'COUNT', count)) as [string, RawEntry[], string[]];
      entries = claimed[1].filter((e) => Array.isArray(e[1])).map(parseEntry);
      if (entries.length >= count) return entries;
    }
    const fresh = (await redis.xreadgroup('GROUP', reconcileGroup, consumer, 'COUNT', count - entries.length, 'STREAMS', key, '>')) as [string, RawEntry[]][] | null;
    return entries.concat((fresh?.[0]?.[1] ?? []).map(parseEntry));
  } catch (err) {
    if (isNoGroup(err)) return [];
    throw err;
  }
}

/** Every entry not yet trimmed: all pending ones (whoever holds them), then all new ones. */
export async function readAllDebits(redis: RedisClient, customerId: string, consumer: string, chunk: number): Promise<DebitEntry[]> {
  const key = meteringKeys(customerId).debits;
  const out: DebitEntry[] = [];
  try {
    let cursor = '0-0';
    do {
      const [next, entries] = (await redis.xautoclaim(key, reconcileGroup, consumer, 0, cursor, 'COUNT', chunk)) as [string, RawEntry[], string[]];
      out.push(...entries.filter((e) => Array.isArray(e[1])).map(parseEntry));
      cursor = next;
    } while (cursor !== '0-0');
    for (;;) {
      const fresh = (await redis.xreadgroup('GROUP', reconcileGroup, consumer, 'COUNT', chunk, 'STREAMS', key, '>')) as [string, RawEntry[]][] | null;
      const entries = fresh?.[0]?.[1] ?? [];
      out.push(...entries.map(parseEntry));
      if (entries.length < chunk) break;
    }
  } catch (err) {
    if (!isNoGroup(err)) throw err;
  }
  return out;
}

export function newestStreamId(entries: DebitEntry[]): string {
  let best = '0-0';
  for (const e of entries) if (compareStreamIds(e.streamId, best) > 0) best = e.streamId;
  return best;
}

export function compareStreamIds(a: string, b: string): number {
  const [ams = 0, aseq = 0] = a.split('-').map(Number);
  const [bms = 0, bseq = 0] = b.split('-').map(Number);
  return ams !== bms ? ams - bms : aseq - bseq;
}
