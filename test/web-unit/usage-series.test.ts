// The usage charts' data: bars stacked by app in the API's order, and the balance and forecast
// lines joined at the last known balance.
import { balanceLines, stackedTokens } from '../../web/src/lib/charts/usage-series';

describe('stackedTokens', () => {
  it('stacks each bucket bottom app first, a missing app counting zero', () => {
    const s = stackedTokens({
      apps: [{ slug: 'vto', name: 'Try-On' }, { slug: 'pd', name: 'PD' }],
      series: [
        { at: '2026-11-28T00:00:00.000Z', byApp: { pd: { tokens: 1 } } },
        { at: '2026-11-29T00:00:00.000Z', byApp: { vto: { tokens: 10 }, pd: { tokens: 2 } } },
      ],
    });
    expect(s.x).toEqual([Date.UTC(2026, 10, 28) / 1000, Date.UTC(2026, 10, 29) / 1000]);
    expect(s.tokens).toEqual([[0, 10], [1, 2]]);
    expect(s.tops).toEqual([[0, 10], [1, 12]]);
  });
});

describe('balanceLines', () => {
  it('joins the forecast to the last known balance on one time axis', () => {
    const l = balanceLines({
      balanceSeries: [{ at: '2026-11-01T00:00:00Z', balance: 100 }, { at: '2026-11-02T00:00:00Z', balance: 80 }],
      forecastSeries: [{ at: '2026-11-03T00:00:00Z', balance: 60 }],
    });
    expect(l.balance).toEqual([100, 80, null]);
    expect(l.forecast).toEqual([null, 80, 60]);
    expect(l.x).toHaveLength(3);
  });

  it('has no forecast line without a forecast', () => {
    expect(balanceLines({ balanceSeries: [{ at: '2026-11-01T00:00:00Z', balance: 5 }], forecastSeries: [] }).forecast).toEqual([null]);
  });
});
