// Typed calls of the metering scripts. ioredis sends EVALSHA and falls back to EVAL once per
// node after a restart or failover (NOSCRIPT), on a single node and on a cluster alike.
import { Cluster } from 'ioredis';
import type { RedisClient } from '../infra/redis';
import { activeCustomersKey, legacyReconcileGroup, meteringKeys } from './keys';
import { admissionArgs, secondsToNextUtcDay, visitorWindow, type Admission } from './admission';
import { filterHashes } from './idempotency-filter';
import { sandboxDebitLua, sandboxRefundLua } from './admission-lua';
import { debitLua, loadBalanceLua, refundLua, trimLua } from './lua';
import { sandboxBucket, sandboxDayTtlSeconds, utcDayStart } from './sandbox-days';
import { packDebit, type DebitToPack } from './stream-entries';

type ScriptCall = (...args: (string | number)[]) => Promise<unknown>;
interface WithScripts {
  meteringDebit: ScriptCall;
  meteringLoadBalance: ScriptCall;
  meteringTrim: ScriptCall;
  meteringRefund: ScriptCall;
  meteringSandboxDebit: ScriptCall;
  meteringSandboxRefund: ScriptCall;
}

const defined = new WeakSet<object>();

function scripts(redis: RedisClient): WithScripts {
  if (!defined.has(redis)) {
    redis.defineCommand('meteringDebit', { numberOfKeys: 8, lua: debitLua });
    redis.defineCommand('meteringSandboxDebit', { numberOfKeys: 8, lua: sandboxDebitLua });
    redis.defineCommand('meteringSandboxRefund', { numberOfKeys: 4, lua: sandboxRefundLua });
    redis.defineCommand('meteringLoadBalance', { numberOfKeys: 2, lua: loadBalanceLua });
    redis.defineCommand('meteringTrim', { numberOfKeys: 1, lua: trimLua });
    redis.defineCommand('meteringRefund', { numberOfKeys: 3, lua: refundLua });
    defined.add(redis);
  }
  return redis as unknown as WithScripts;
}

/** The use itself (what its stream entry keeps), and how to admit it. */
export interface DebitRequest extends DebitToPack {
  customerId: string;
  idempotencyTtlSeconds: number;
  ratePerSecond: number;
  /** Per-visitor windows and the daily cap; none for a secret key without a cap. */
  admission?: Admission;
  /**
   * The caller has asked PostgreSQL for this key already (or keeps its own record of it, as runs
   * do), so the script skips the idempotency filter and never answers `archive_lookup`.
   */
  archiveChecked?: boolean;
}

/** The first result of an idempotency key, as stored. remainingTokens null is unlimited. */
export interface StoredResult {
  requestHash: string;
  usageId: string;
  tokens: number;
  remainingTokens: number | null;
}

export type DebitOutcome =
  /** allocation: which grants paid, 'grant:tokens;…' (empty when unlimited); a refund gives it back. */
  | { kind: 'debited'; remainingTokens: number | null; allocation: string }
  | { kind: 'replayed'; result: StoredResult }
  | { kind: 'key_reused' }
  | { kind: 'rate_limited' }
  | { kind: 'visitor_limited'; scope: 'ip' | 'session'; retryAfterSeconds: number }
  | { kind: 'daily_cap_reached'; spentTokens: number; retryAfterSeconds: number }
  | { kind: 'balance_unknown' }
  | { kind: 'suspended' }
  /** hasPlan: whether the brand has a current plan, as the cached balance knows it (null: not known, e.g. a sandbox). */
  | { kind: 'insufficient'; availableTokens: number; hasPlan: boolean | null };

/** A live debit may first ask for the key to be looked up in PostgreSQL (idempotency-filter.ts): nothing moved. */
export type LiveDebitOutcome = DebitOutcome | { kind: 'archive_lookup' };

const remainingFrom = (raw: string): number | null => (raw === '-1' ? null : Number(raw));

export function parseStoredResult(stored: string): StoredResult {
  const [requestHash = '', usageId = '', tokens = '0', remaining = '-1'] = stored.split('|');
  return { requestHash, usageId, tokens: Number(tokens), remainingTokens: remainingFrom(remaining) };
}

/**
 * Debits issued in one turn of the event loop leave in one socket write: the connection is
 * corked at the first and uncorked once the turn's I/O callbacks have run. One write per debit
 * was the largest single cost of the widget path (the syscall, not the bytes). A cluster's
 * connections are left alone: each command there goes to its slot's node.
 */
const corked = new WeakSet<object>();
function batchWrites(redis: RedisClient): void {
  if (redis instanceof Cluster || corked.has(redis)) return;
  const socket = redis.stream;
  if (!socket || redis.status !== 'ready') return;
  corked.add(redis);
  socket.cork();
  setImmediate(() => {
    corked.delete(redis);
    socket.uncork();
  });
}

const noFilterCheck = ['', ''];

export async function debit(redis: RedisClient, r: DebitRequest): Promise<LiveDebitOutcome> {
  batchWrites(redis);
  const keys = meteringKeys(r.customerId);
  const admission = admissionArgs(r.customerId, r.nowMs, r.admission);
  const reply = (await scripts(redis).meteringDebit(
    keys.balance, keys.idempotency(r.idempotencyKey), keys.debits, keys.rate(Math.floor(r.nowMs / 1000)), ...admission.keys, keys.idempotencyFilter,
    r.requestHash, r.usageId, r.costTokens, packDebit(r), r.nowMs, r.idempotencyTtlSeconds, r.ratePerSecond, ...admission.argv,
    ...(r.archiveChecked ? noFilterCheck : filterHashes(r.idempotencyKey)),
  )) as DebitReply;
  return outcomeOf(reply, r);
}

/**
 * A test key's debit, against the brand's sandbox balance (refilled to `startingTokens` on
 * first use). Same replies as a live debit, except that a sandbox is never unknown or suspended.
 */
export async function sandboxDebit(redis: RedisClient, r: DebitRequest & { startingTokens: number }): Promise<DebitOutcome> {
  const keys = meteringKeys(r.customerId);
  const admission = admissionArgs(r.customerId, r.nowMs, r.admission);
  const reply = (await scripts(redis).meteringSandboxDebit(
    keys.sandbox, keys.testIdempotency(r.idempotencyKey), keys.sandboxUsage, keys.testRate(Math.floor(r.nowMs / 1000)), ...admission.keys,
    keys.sandboxDay(utcDayStart(r.nowMs)),
    r.requestHash, r.usageId, r.costTokens, r.appSlug, r.nowMs, r.idempotencyTtlSeconds, r.ratePerSecond, ...admission.argv, r.startingTokens,
    sandboxBucket(r.nowMs, r.appId, r.apiKeyId), sandboxDayTtlSeconds,
  )) as DebitReply;
  const outcome = outcomeOf(reply, r);
  // Test uses never reach PostgreSQL, so the sandbox script has no filter to consult.
  if (outcome.kind === 'archive_lookup') throw new Error('the sandbox debit script answered LOOKUP');
  return outcome;
}

export interface SandboxRefundRequest {
  customerId: string;
  usageId: string;
  costTokens: number;
  appSlug: string;
  /** The use given back, as its debit named it: the refund nets out in that use's hour, app and key. */
  appId: string;
  apiKeyId?: string;
  debitedAtMs: number;
}

/** Gives a failed test run's tokens back to the sandbox; false when already given back. */
export async function sandboxRefund(redis: RedisClient, r: SandboxRefundRequest): Promise<boolean> {
  const keys = meteringKeys(r.customerId);
  const reply = await scripts(redis).meteringSandboxRefund(
    keys.sandbox, keys.sandboxUsage, keys.testRefund(r.usageId), keys.sandboxDay(utcDayStart(r.debitedAtMs)),
    r.costTokens, r.appSlug, 30 * 24 * 3600, sandboxBucket(r.debitedAtMs, r.appId, r.apiKeyId), sandboxDayTtlSeconds,
  );
  return reply === 1;
}

type DebitReply = [string, string?, string?];

function outcomeOf(reply: DebitReply, r: DebitRequest): LiveDebitOutcome {
  const [status, value = '', allocation = ''] = reply;
  switch (status) {
    case 'OK':
      return { kind: 'debited', remainingTokens: remainingFrom(value), allocation };
    case 'REPLAY':
      return { kind: 'replayed', result: parseStoredResult(value) };
    case 'REUSED':
      return { kind: 'key_reused' };
    case 'RATE_LIMITED':
      return { kind: 'rate_limited' };
    case 'VISITOR_LIMITED':
      return { kind: 'visitor_limited', scope: value === 'session' ? 'session' : 'ip', retryAfterSeconds: visitorWindow(r.nowMs, r.admission?.visitor?.windowSeconds ?? 60).secondsLeft };
    case 'DAILY_CAP':
      return { kind: 'daily_cap_reached', spentTokens: Number(value), retryAfterSeconds: secondsToNextUtcDay(r.nowMs) };
    case 'UNKNOWN':
      return { kind: 'balance_unknown' };
    case 'LOOKUP':
      return { kind: 'archive_lookup' };
    case 'SUSPENDED':
      return { kind: 'suspended' };
    case 'INSUFFICIENT':
      return { kind: 'insufficient', availableTokens: Number(value), hasPlan: allocation === '1' ? true : allocation === '0' ? false : null };
    default:
      throw new Error(`metering debit script answered ${status}`);
  }
}

export interface CachedGrant {
  id: string;
  remainingTokens: number;
  effectiveAtMs: number;
  /** End exclusive; null never expires. */
  expiresAtMs: number | null;
}

export interface CachedBalance {
  status: 'active' | 'suspended';
  unlimited: boolean;
  /** In burn order. */
  grants: CachedGrant[];
  /**
   * Whether the brand has a current plan (any status but canceled): a refused debit reads it to
   * say whether a token pack fixes the shortage or a plan is needed, with no query. Absent: not known.
   */
  hasPlan?: boolean;
}

export type LoadOutcome = 'loaded' | 'present' | 'refused';

export async function loadBalance(redis: RedisClient, customerId: string, balance: CachedBalance, lastReconciledStreamId: string): Promise<LoadOutcome> {
  const keys = meteringKeys(customerId);
  const grantArgs = balance.grants.flatMap((g) => [g.id, g.remainingTokens, g.effectiveAtMs, g.expiresAtMs ?? '']);
  const reply = await scripts(redis).meteringLoadBalance(
    keys.balance, keys.debits,
    balance.status, balance.unlimited ? '1' : '0', balance.grants.map((g) => g.id).join(','), lastReconciledStreamId, legacyReconcileGroup,
    balance.hasPlan === undefined ? '' : balance.hasPlan ? '1' : '0',
    ...grantArgs,
  );
  return reply === 1 ? 'loaded' : reply === 0 ? 'present' : 'refused';
}

/** What the cache says now, or null when it is unknown. */
export async function readCachedBalance(redis: RedisClient, customerId: string, nowMs: number): Promise<{ availableTokens: number | null; status: string } | null> {
  const hash = await redis.hgetall(meteringKeys(customerId).balance);
  if (!hash.status) return null;
  if (hash.unlimited === '1') return { availableTokens: null, status: hash.status };
  let available = 0;
  for (const id of (hash.order ?? '').split(',').filter(Boolean)) {
    const left = Number(hash[`g:${id}`] ?? 0);
    const from = Number(hash[`f:${id}`] ?? 0);
    const to = hash[`x:${id}`] ? Number(hash[`x:${id}`]) : null;
    if (left > 0 && nowMs >= from && (to === null || nowMs < to)) available += left;
  }
  return { availableTokens: available, status: hash.status };
}

/** Forget the cached balance: the next debit rebuilds it from the ledger. Called after any grant, expiry or status change. */
export async function invalidateBalance(redis: RedisClient, customerId: string): Promise<void> {
  await redis.del(meteringKeys(customerId).balance);
}

/** Tell the reconciler this customer has debits to read. */
export async function markActive(redis: RedisClient, customerId: string, nowMs: number): Promise<void> {
  await redis.zadd(activeCustomersKey(customerId), nowMs, customerId);
}

/** Trim only after PostgreSQL has committed. A MULTI would not do: auto-pipelining may interleave other commands into it. */
export async function trimDebits(redis: RedisClient, customerId: string, streamIds: string[]): Promise<void> {
  // unpack() is bounded by Lua's stack, so trim in chunks.
  for (let i = 0; i < streamIds.length; i += 1_000) {
    await scripts(redis).meteringTrim(meteringKeys(customerId).debits, ...streamIds.slice(i, i + 1_000));
  }
}

export interface RefundRequest {
  customerId: string;
  usageId: string;
  allocation: string;
  costTokens: number;
  appId: string;
  appSlug: string;
  nowMs: number;
  reason: string;
}

/** True when this call refunded; false when the debit had been refunded already. */
export async function refund(redis: RedisClient, r: RefundRequest): Promise<boolean> {
  const keys = meteringKeys(r.customerId);
  // The marker outlives any retry of the same run; the ledger's uniqueness is the final guard.
  const markerTtlSeconds = 30 * 24 * 3600;
  const reply = await scripts(redis).meteringRefund(
    keys.balance, keys.debits, keys.refund(r.usageId),
    r.usageId, r.allocation, r.costTokens, r.appId, r.appSlug, r.nowMs, markerTtlSeconds, r.reason,
  );
  return reply === 1;
}
