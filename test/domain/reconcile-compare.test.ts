// The audit's comparisons, pure: what counts as drift, by how much, and what does not.
import { compareCachedBalance, driftTotals, grantsOfCachedHash, unappliedBatches, type GrantFigure } from '../../domain/reconcile/compare';

const now = 1_000_000;
const g = (id: string, remainingTokens: number, extra: Partial<GrantFigure> = {}): GrantFigure => ({ id, remainingTokens, effectiveAtMs: 0, expiresAtMs: null, ...extra });

describe('compareCachedBalance', () => {
  it('finds no drift when the cache holds what the ledger holds', () => {
    const r = compareCachedBalance([g('a', 100), g('b', 50)], [g('a', 100), g('b', 50)], [], now);
    expect(r).toMatchObject({ expectedTokens: 150, cachedTokens: 150, differenceTokens: 0, driftTokens: 0, grants: [] });
  });

  it('reports a cache holding more than the ledger as a positive difference, per grant', () => {
    const r = compareCachedBalance([g('a', 100)], [g('a', 600)], [], now);
    expect(r).toMatchObject({ differenceTokens: 500, driftTokens: 500, grants: [{ id: 'a', expectedTokens: 100, cachedTokens: 600 }] });
  });

  it('counts debits still in the stream against the ledger, and refunds back, before comparing', () => {
    const pending = [
      { kind: 'debit' as const, allocation: [{ grantId: 'a', tokens: 30 }] },
      { kind: 'refund' as const, allocation: [{ grantId: 'a', tokens: 10 }] },
    ];
    expect(compareCachedBalance([g('a', 100)], [g('a', 80)], pending, now).driftTokens).toBe(0);
  });

  it('sees drift between grants even when the totals agree', () => {
    const r = compareCachedBalance([g('a', 100), g('b', 0)], [g('a', 0), g('b', 100)], [], now);
    expect(r.differenceTokens).toBe(0);
    expect(r.driftTokens).toBe(200);
    expect(r.grants).toHaveLength(2);
  });

  it('ignores grants not usable now on either side (not yet effective, or expired)', () => {
    const later = g('future', 500, { effectiveAtMs: now + 1 });
    const gone = g('old', 500, { expiresAtMs: now });
    expect(compareCachedBalance([g('a', 10)], [g('a', 10), later, gone], [], now).driftTokens).toBe(0);
  });

  it('counts a grant the cache holds and the ledger does not (expired by the ledger) as drift', () => {
    expect(compareCachedBalance([], [g('ended', 40)], [], now)).toMatchObject({ differenceTokens: 40, driftTokens: 40 });
  });
});

describe('grantsOfCachedHash', () => {
  it('reads the cached grants in burn order', () => {
    expect(grantsOfCachedHash({ status: 'active', unlimited: '0', order: 'a,b', 'g:a': '5', 'f:a': '1', 'g:b': '7', 'f:b': '2', 'x:b': '9' })).toEqual([
      { id: 'a', remainingTokens: 5, effectiveAtMs: 1, expiresAtMs: null },
      { id: 'b', remainingTokens: 7, effectiveAtMs: 2, expiresAtMs: 9 },
    ]);
  });

  it('answers null for an unknown or unlimited cache: nothing to compare', () => {
    expect(grantsOfCachedHash({})).toBeNull();
    expect(grantsOfCachedHash({ status: 'active', unlimited: '1' })).toBeNull();
  });
});

describe('unappliedBatches', () => {
  const batch = (seq: number, ageMs: number) => ({ seq, tokens: 10 * seq, createdAtMs: now - ageMs });

  it('lists batches after the workflow’s number that had the grace to arrive, in order', () => {
    expect(unappliedBatches([batch(4, 5_000), batch(2, 5_000), batch(3, 5_000)], 2, now, 1_000).map((b) => b.seq)).toEqual([3, 4]);
  });

  it('leaves out a batch younger than the grace: it may still be on its way', () => {
    expect(unappliedBatches([batch(3, 500)], 2, now, 1_000)).toEqual([]);
  });
});

describe('driftTotals', () => {
  it('sums each kind and names every kind, 0 when none was found', () => {
    expect(driftTotals([{ kind: 'redis_balance', driftTokens: 5 }, { kind: 'redis_balance', driftTokens: 7 }, { kind: 'pack_payment', driftTokens: 1_000 }])).toEqual({
      redis_balance: 12,
      workflow_usage: 0,
      pack_payment: 1_000,
    });
  });
});
