// Reading a customer's debit stream: the entries' two formats, and the head of the stream.
import type { RedisClient } from '../infra/redis';
import { meteringKeys } from './keys';

/** A use as the API names it, before and after it went through the stream. */
interface UseOf {
  usageId: string;
  idempotencyKey: string;
  requestHash: string;
  appId: string;
  appSlug: string;
  costTokens: number;
}

/** One debit as the script wrote it. Allocation: grant id → tokens (empty when unlimited). */
export interface DebitEntry extends UseOf {
  streamId: string;
  /** A refund gives a debit's allocation back; it carries the debit's usage id. */
  kind: 'debit' | 'refund';
  allocation: { grantId: string; tokens: number }[];
  remainingTokens: number | null;
  debitedAtMs: number;
  sessionId: string | null;
  metadata: Record<string, unknown> | null;
  apiKeyId: string | null;
}

export type RawEntry = [string, string[]];

/** What a debit knows before the script runs; the script adds the allocation and what remains. */
export interface DebitToPack extends UseOf {
  nowMs: number;
  sessionId?: string;
  metadata?: Record<string, unknown>;
  apiKeyId?: string;
}

/**
 * A debit's stream entry is three fields: `d`, this JSON array, then `al` and `r` from the script.
 * One field per value (the first format, still read below) cost Redis a string per value on the
 * way in and out, and the reconciler one to parse; a later layout takes a new field name.
 */
export const packDebit = (r: DebitToPack): string =>
  JSON.stringify([r.usageId, r.idempotencyKey, r.requestHash, r.appId, r.appSlug, r.costTokens, r.nowMs, r.sessionId ?? null, r.metadata ?? null, r.apiKeyId ?? null]);

type Packed = [string, string, string, string, string, number, number, string | null, Record<string, unknown> | null, string | null];

const allocationOf = (al: string | undefined) =>
  (al ?? '')
    .split(';')
    .filter(Boolean)
    .map((part) => {
      const [grantId = '', tokens = '0'] = part.split(':');
      return { grantId, tokens: Number(tokens) };
    });

const remainingOf = (r: string | undefined) => (r === undefined || r === '-1' ? null : Number(r));

function parsePacked(streamId: string, fields: string[]): DebitEntry {
  const [usageId, idempotencyKey, requestHash, appId, appSlug, costTokens, debitedAtMs, sessionId, metadata, apiKeyId] = JSON.parse(fields[1]!) as Packed;
  let al: string | undefined;
  let r: string | undefined;
  for (let i = 2; i + 1 < fields.length; i += 2) {
    if (fields[i] === 'al') al = fields[i + 1];
    else if (fields[i] === 'r') r = fields[i + 1];
  }
  return {
    streamId,
    kind: 'debit',
    usageId,
    idempotencyKey,
    requestHash,
    appId,
    appSlug,
    costTokens,
    allocation: allocationOf(al),
    remainingTokens: remainingOf(r),
    debitedAtMs,
    sessionId: sessionId || null,
    metadata,
    apiKeyId: apiKeyId || null,
  };
}

/** Both formats: an API of the release before writes one field per value, and refunds still do. */
export function parseEntry([streamId, fields]: RawEntry): DebitEntry {
  if (fields[0] === 'd') return parsePacked(streamId, fields);
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
    allocation: allocationOf(f.al),
    remainingTokens: remainingOf(f.r),
    debitedAtMs: Number(f.t),
    sessionId: f.s || null,
    metadata: f.m ? (JSON.parse(f.m) as Record<string, unknown>) : null,
    apiKeyId: f.ky || null,
  };
}

/**
 * The oldest entries still in the stream, up to `count`. Entries leave the stream only once their
 * rows have committed, and every reader holds the customer's lock, so the head of the stream is
 * exactly what is left to write: a pass that crashed is simply read again by the next, with no
 * consumer group to claim from. (A group's per-entry bookkeeping, the pending list, its XCLAIM
 * in the AOF and replication, and the XACK, doubled Redis' cost of reading and trimming.)
 */
export async function readDebits(redis: RedisClient, customerId: string, count: number): Promise<DebitEntry[]> {
  return ((await redis.xrange(meteringKeys(customerId).debits, '-', '+', 'COUNT', count)) as RawEntry[]).map(parseEntry);
}

/** Every entry not yet trimmed, in `chunk`s. */
export async function readAllDebits(redis: RedisClient, customerId: string, chunk: number): Promise<DebitEntry[]> {
  const key = meteringKeys(customerId).debits;
  const out: DebitEntry[] = [];
  for (let from = '-'; ; ) {
    const entries = (await redis.xrange(key, from, '+', 'COUNT', chunk)) as RawEntry[];
    for (const e of entries) out.push(parseEntry(e));
    if (entries.length < chunk) return out;
    from = `(${entries[entries.length - 1]![0]}`;
  }
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
