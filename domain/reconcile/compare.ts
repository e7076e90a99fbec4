// The reconciliation audit's comparisons, pure: each takes the figures as read and says how far
// the derived copy is from the truth, in tokens. The truth is always the ledger (for balances and
// usage) or Stripe (for payments); the copies are Redis's cached balance and the billing
// workflow's own totals.

export const driftKinds = ['redis_balance', 'workflow_usage', 'pack_payment'] as const;
export type DriftKind = (typeof driftKinds)[number];

/** One grant as a balance holds it; `expiresAtMs` end exclusive, null never. */
export interface GrantFigure {
  id: string;
  remainingTokens: number;
  effectiveAtMs: number;
  expiresAtMs: number | null;
}

/** A debit or refund still in the Redis stream: counted in the cache, not yet in the ledger. */
export interface PendingMove {
  kind: 'debit' | 'refund';
  allocation: { grantId: string; tokens: number }[];
}

export interface BalanceComparison {
  /** What the cache should hold now: the ledger, less the debits it has not seen yet. */
  expectedTokens: number;
  cachedTokens: number;
  /** cached − expected: positive, the cache would let the brand spend tokens it does not have. */
  differenceTokens: number;
  /** Σ |cached − expected| over the grants: nonzero even when two grants' errors cancel out in the total. */
  driftTokens: number;
  /** The grants whose figures differ (id, expected, cached), for the alert's details. */
  grants: { id: string; expectedTokens: number; cachedTokens: number }[];
}

const usableAt = (g: GrantFigure, nowMs: number) => nowMs >= g.effectiveAtMs && (g.expiresAtMs === null || nowMs < g.expiresAtMs);

/**
 * Compares the cached balance with the ledger's, grant by grant, counting only grants usable at
 * `nowMs` on either side (a grant not yet effective or already expired cannot be spent, whatever
 * its figure). Moves still in the stream are applied to the ledger's side first.
 */
export function compareCachedBalance(ledger: GrantFigure[], cached: GrantFigure[], pending: PendingMove[], nowMs: number): BalanceComparison {
  const expected = new Map<string, number>();
  for (const g of ledger) if (usableAt(g, nowMs)) expected.set(g.id, g.remainingTokens);
  for (const move of pending) {
    for (const a of move.allocation) {
      if (!expected.has(a.grantId)) continue;
      expected.set(a.grantId, expected.get(a.grantId)! + (move.kind === 'refund' ? a.tokens : -a.tokens));
    }
  }
  const held = new Map<string, number>();
  for (const g of cached) if (usableAt(g, nowMs)) held.set(g.id, g.remainingTokens);
  const grants: BalanceComparison['grants'] = [];
  let expectedTokens = 0;
  let cachedTokens = 0;
  let driftTokens = 0;
  for (const id of new Set([...expected.keys(), ...held.keys()])) {
    const e = Math.max(0, expected.get(id) ?? 0);
    const c = Math.max(0, held.get(id) ?? 0);
    expectedTokens += e;
    cachedTokens += c;
    driftTokens += Math.abs(c - e);
    if (e !== c) grants.push({ id, expectedTokens: e, cachedTokens: c });
  }
  return { expectedTokens, cachedTokens, differenceTokens: cachedTokens - expectedTokens, driftTokens, grants };
}

/** The grants of a cached balance hash (domain/metering/lua.ts's layout); null when the cache is unknown or unlimited. */
export function grantsOfCachedHash(hash: Record<string, string>): GrantFigure[] | null {
  if (!hash.status || hash.unlimited === '1') return null;
  return (hash.order ?? '')
    .split(',')
    .filter(Boolean)
    .map((id) => ({
      id,
      remainingTokens: Number(hash[`g:${id}`] ?? 0),
      effectiveAtMs: Number(hash[`f:${id}`] ?? 0),
      expiresAtMs: hash[`x:${id}`] ? Number(hash[`x:${id}`]) : null,
    }));
}

export interface BatchFigure {
  seq: number;
  tokens: number;
  /** When the batch was written (ms): a batch younger than the grace may still be on its way. */
  createdAtMs: number;
}

/**
 * Usage batches the billing workflow has not applied (numbered after its `lastAppliedSeq`) and
 * that had `graceMs` to get there: the signaler sends each within a second or so.
 */
export function unappliedBatches<B extends BatchFigure>(batches: B[], lastAppliedSeq: number, nowMs: number, graceMs: number): B[] {
  return batches.filter((b) => b.seq > lastAppliedSeq && nowMs - b.createdAtMs >= graceMs).sort((a, b) => a.seq - b.seq);
}

export interface FoundDrift {
  kind: DriftKind;
  /** Signed, as the alert says it: the copy minus the truth (a pack not credited: −its tokens). */
  differenceTokens: number;
  /** Unsigned, what the metric adds up. */
  driftTokens: number;
  repaired: boolean;
}

/** The metric's figure per kind: every drift's tokens, summed; every kind present, 0 when none. */
export function driftTotals(found: Pick<FoundDrift, 'kind' | 'driftTokens'>[], base: Partial<Record<DriftKind, number>> = {}): Record<DriftKind, number> {
  const totals = Object.fromEntries(driftKinds.map((k) => [k, base[k] ?? 0])) as Record<DriftKind, number>;
  for (const f of found) totals[f.kind] += f.driftTokens;
  return totals;
}
