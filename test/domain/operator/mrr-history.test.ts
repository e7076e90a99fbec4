// MRR movement is classified per brand between month ends, and retention counts brands by the
// day they first paid: both pure, from the MRR history rows.
import { byBrand, classifyMove, lastMonths, mrrAt, mrrAtEach, mrrMovement as movementOf, retention as retentionOf, type MrrChange } from '../../../domain/operator/mrr-history';

const at = (iso: string) => new Date(iso);
// The functions take each brand's history, as byBrand groups the stored rows.
const mrrMovement = (rows: MrrChange[], now: Date, months: number) => movementOf(byBrand(rows).values(), now, months);
const retention = (rows: MrrChange[], now: Date, windows: number[]) => retentionOf(byBrand(rows).values(), now, windows);
const change = (customerId: string, iso: string, mrrCents: number): MrrChange => ({ customerId, at: at(iso), mrrCents });

describe('classifyMove', () => {
  it.each([
    [0, 2900, { newCents: 2900, expansionCents: 0, contractionCents: 0, churnCents: 0 }],
    [2900, 19900, { newCents: 0, expansionCents: 17000, contractionCents: 0, churnCents: 0 }],
    [19900, 2900, { newCents: 0, expansionCents: 0, contractionCents: 17000, churnCents: 0 }],
    [19900, 0, { newCents: 0, expansionCents: 0, contractionCents: 0, churnCents: 19900 }],
    [2900, 2900, { newCents: 0, expansionCents: 0, contractionCents: 0, churnCents: 0 }],
    [0, 0, { newCents: 0, expansionCents: 0, contractionCents: 0, churnCents: 0 }],
  ])('classifies %i → %i', (before, after, expected) => {
    expect(classifyMove(before, after)).toEqual(expected);
  });
});

describe('lastMonths', () => {
  it('lists UTC months oldest first, the current one ending now, across a year end', () => {
    const now = at('2026-01-15T10:00:00Z');
    expect(lastMonths(now, 3)).toEqual([
      { month: '2025-11', startAt: at('2025-11-01T00:00:00Z'), endAt: at('2025-12-01T00:00:00Z') },
      { month: '2025-12', startAt: at('2025-12-01T00:00:00Z'), endAt: at('2026-01-01T00:00:00Z') },
      { month: '2026-01', startAt: at('2026-01-01T00:00:00Z'), endAt: now },
    ]);
  });
});

describe('mrrAt', () => {
  it('takes the latest change strictly before the moment', () => {
    const h = [change('a', '2026-01-10T00:00:00Z', 2900), change('a', '2026-02-01T00:00:00Z', 19900)];
    expect(mrrAt(h, at('2026-01-01T00:00:00Z'))).toBe(0);
    expect(mrrAt(h, at('2026-02-01T00:00:00Z'))).toBe(2900);
    expect(mrrAt(h, at('2026-02-01T00:00:01Z'))).toBe(19900);
  });
});

describe('mrrAtEach', () => {
  it('answers the same as mrrAt at each moment', () => {
    const h = [change('a', '2026-01-10T00:00:00Z', 2900), change('a', '2026-02-01T00:00:00Z', 19900), change('a', '2026-03-01T00:00:00Z', 0)];
    const moments = ['2026-01-01', '2026-02-01', '2026-02-02', '2026-03-02'].map((d) => at(`${d}T00:00:00Z`));
    expect(mrrAtEach(h, moments)).toEqual(moments.map((m) => mrrAt(h, m)));
    expect(mrrAtEach(h, moments)).toEqual([0, 2900, 19900, 0]);
  });
});

describe('mrrMovement', () => {
  const now = at('2026-03-20T00:00:00Z');
  const history = [
    change('new-in-jan', '2026-01-05T00:00:00Z', 2900),
    change('upgrade-in-feb', '2025-12-01T00:00:00Z', 2900),
    change('upgrade-in-feb', '2026-02-10T00:00:00Z', 19900),
    change('churn-in-mar', '2025-12-15T00:00:00Z', 19900),
    change('churn-in-mar', '2026-03-02T00:00:00Z', 0),
    // Down and back up within March: no movement.
    change('flip-in-mar', '2025-12-20T00:00:00Z', 19900),
    change('flip-in-mar', '2026-03-03T00:00:00Z', 2900),
    change('flip-in-mar', '2026-03-04T00:00:00Z', 19900),
  ];

  it('classifies each brand between month ends and closes each month with its MRR', () => {
    expect(mrrMovement(history, now, 3)).toEqual([
      { month: '2026-01', newCents: 2900, expansionCents: 0, contractionCents: 0, churnCents: 0, mrrCents: 2900 + 2900 + 19900 + 19900 },
      { month: '2026-02', newCents: 0, expansionCents: 17000, contractionCents: 0, churnCents: 0, mrrCents: 2900 + 19900 + 19900 + 19900 },
      { month: '2026-03', newCents: 0, expansionCents: 0, contractionCents: 0, churnCents: 19900, mrrCents: 2900 + 19900 + 19900 },
    ]);
  });

  it('ties each month: the opening MRR plus its movement is its closing MRR', () => {
    const months = mrrMovement(history, now, 4);
    for (let i = 1; i < months.length; i++) {
      const m = months[i]!;
      expect(months[i - 1]!.mrrCents + m.newCents + m.expansionCents - m.contractionCents - m.churnCents).toBe(m.mrrCents);
    }
  });

  it('counts a contraction that stays above zero', () => {
    const rows = mrrMovement([change('a', '2026-01-01T00:00:00Z', 19900), change('a', '2026-03-01T00:00:00Z', 2900)], now, 1);
    expect(rows[0]).toMatchObject({ contractionCents: 17000, churnCents: 0, mrrCents: 2900 });
  });
});

describe('retention', () => {
  const now = at('2026-06-01T00:00:00Z');
  it('counts brands that first paid at least N days ago, and those still paying N days later', () => {
    const history = [
      // Paid 120 days ago and still paying: in every cohort, retained in every one.
      change('loyal', '2026-02-01T00:00:00Z', 2900),
      // Paid 100 days ago, churned after 45 days: retained at 30 only.
      change('left', '2026-02-21T00:00:00Z', 2900),
      change('left', '2026-04-07T00:00:00Z', 0),
      // Paid 10 days ago: in no cohort yet.
      change('new', '2026-05-22T00:00:00Z', 19900),
      // Never paid.
      change('free', '2026-01-01T00:00:00Z', 0),
    ];
    expect(retention(history, now, [30, 60, 90])).toEqual([
      { days: 30, cohort: 2, retained: 2, rate: 1 },
      { days: 60, cohort: 2, retained: 1, rate: 0.5 },
      { days: 90, cohort: 2, retained: 1, rate: 0.5 },
    ]);
  });

  it('answers rate 0 for an empty cohort', () => {
    expect(retention([], now, [30])).toEqual([{ days: 30, cohort: 0, retained: 0, rate: 0 }]);
  });

  it('dates a brand by its first payment, not a later return', () => {
    const history = [change('back', '2026-01-01T00:00:00Z', 2900), change('back', '2026-01-10T00:00:00Z', 0), change('back', '2026-05-01T00:00:00Z', 2900)];
    expect(retention(history, now, [30])).toEqual([{ days: 30, cohort: 1, retained: 0, rate: 0 }]);
  });
});
