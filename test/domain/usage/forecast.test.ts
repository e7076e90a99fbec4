// The exhaustion forecast (pure): burn rate, spread, exhaustion date, suggestion; and the backtest
// that chose the weekday-aware spread (docs/guides/usage-analytics.md quotes its figures).
import { chooseMethod, dailyProjection, forecastExhaustion, projectedBurn, type BurnMethod, type DailyTokens, type ForecastInput } from '../../../domain/usage/forecast';

const day = 86_400_000;
const monday = Date.parse('2026-03-02T00:00:00Z');
const packs = [
  { id: '00000000-0000-4000-8000-000000000001', name: '1,000 tokens', tokens: 1_000, priceCents: 3_900 },
  { id: '00000000-0000-4000-8000-000000000005', name: '5,000 tokens', tokens: 5_000, priceCents: 14_900 },
];
const plans = [
  { id: '00000000-0000-4000-8000-0000000000a1', name: 'Starter', allowanceTokens: 1_000, priceCents: 2_900 },
  { id: '00000000-0000-4000-8000-0000000000a2', name: 'Professional', allowanceTokens: 10_000, priceCents: 19_900 },
  { id: '00000000-0000-4000-8000-0000000000a3', name: 'Enterprise', allowanceTokens: null, priceCents: 99_900 },
];

/** `days` complete days before `todayMs`, each burning f(dayStart). */
const history = (todayMs: number, days: number, f: (dayMs: number) => number): DailyTokens[] =>
  Array.from({ length: days }, (_v, i) => todayMs - (days - i) * day).map((d) => ({ dayMs: d, tokens: f(d) }));

const input = (over: Partial<ForecastInput>): ForecastInput => ({
  nowMs: monday, balance: 1_000, history: history(monday, 7, () => 100), cycleEndsAtMs: monday + 20 * day, packs, plans, currentPlan: plans[0]!, ...over,
});

describe('forecastExhaustion', () => {
  it('burns the trailing 7-day average and runs out when it is spent', () => {
    const f = forecastExhaustion(input({}));
    expect(f).toMatchObject({ burnPerDay: 100, method: 'trailing-7-day', balance: 1_000, exhaustsAt: new Date(monday + 10 * day).toISOString(), beforeCycleEnd: true });
  });

  it('says the balance lasts past the cycle end when it does, and suggests nothing', () => {
    const f = forecastExhaustion(input({ balance: 5_000 }));
    expect(f.exhaustsAt).toBe(new Date(monday + 50 * day).toISOString());
    expect(f.beforeCycleEnd).toBe(false);
    expect(f.suggestion).toBeNull();
  });

  it('suggests the smallest pack covering the shortfall to the cycle end', () => {
    // 20 days × 100 = 2,000 needed, 1,000 there: 1,000 short.
    expect(forecastExhaustion(input({})).suggestion).toMatchObject({ kind: 'pack', id: packs[0]!.id });
    expect(forecastExhaustion(input({ balance: 500 })).suggestion).toMatchObject({ kind: 'pack', id: packs[1]!.id });
  });

  it('suggests the next plan when the packs needed would cost more than moving up', () => {
    // 300 a day from nothing: 6,000 short by the cycle end, six 1k packs ($234) against $170 more
    // a month for Professional, whose 10,000 cover a month (9,000) at this rate.
    const f = forecastExhaustion(input({ balance: 0, history: history(monday, 7, () => 300) }));
    expect(f.suggestion).toMatchObject({ kind: 'plan', id: plans[1]!.id, name: 'Professional' });
    expect(f.suggestion!.reason).toBe('Token packs to last this cycle would cost $234.00; the Professional plan costs $170.00 more a month and includes 10000 tokens a month.');
  });

  it('keeps to packs when the only plan that covers the rate costs more than they do', () => {
    // 1,000 a day: 19,000 short; four 5k packs ($596) are cheaper than Enterprise ($970 more).
    const f = forecastExhaustion(input({ history: history(monday, 7, () => 1_000) }));
    expect(f.suggestion).toMatchObject({ kind: 'pack', id: packs[1]!.id });
    expect(f.suggestion!.reason).toContain('4 × 5,000 tokens');
  });

  it('runs out now when nothing is left', () => {
    expect(forecastExhaustion(input({ balance: 0 })).exhaustsAt).toBe(new Date(monday).toISOString());
  });

  it("averages a brand younger than a week since its first use, today's tokens so far included, over at least a day", () => {
    // First use this morning: 13 tokens by 06:00 read as 13 a day, not 0 (no complete day yet) nor 52 (a quarter day).
    expect(forecastExhaustion(input({ nowMs: monday + day / 4, history: [], todayTokens: 13 })).burnPerDay).toBe(13);
    // Three complete days of 100 and 50 by noon: 350 over 3.5 days.
    expect(forecastExhaustion(input({ nowMs: monday + day / 2, history: history(monday, 3, () => 100), todayTokens: 50 })).burnPerDay).toBe(100);
    // A week of history: today's partial day no longer counts (the complete days say more).
    expect(forecastExhaustion(input({ nowMs: monday + day / 2, todayTokens: 5_000 })).burnPerDay).toBe(100);
  });

  it('never runs out when nothing burns', () => {
    const f = forecastExhaustion(input({ history: history(monday, 7, () => 0) }));
    expect(f).toMatchObject({ burnPerDay: 0, exhaustsAt: null, beforeCycleEnd: false, suggestion: null });
  });

  it('forecasts nothing for an unlimited plan: balance null, no exhaustion', () => {
    const f = forecastExhaustion(input({ balance: null }));
    expect(f).toMatchObject({ balance: null, exhaustsAt: null, beforeCycleEnd: false, suggestion: null, forecastSeries: [] });
  });

  it('draws the forecast daily from now down to the exhaustion point', () => {
    const f = forecastExhaustion(input({ nowMs: monday + day / 2, history: history(monday, 7, () => 100) }));
    expect(f.forecastSeries[0]).toEqual({ at: new Date(monday + day / 2).toISOString(), balance: 1_000 });
    expect(f.forecastSeries[1]).toEqual({ at: new Date(monday + day).toISOString(), balance: 950 });
    expect(f.forecastSeries.at(-1)).toEqual({ at: new Date(monday + 10.5 * day).toISOString(), balance: 0 });
  });

  it('looks 30 days ahead without a cycle and never calls that before the cycle end', () => {
    const f = forecastExhaustion(input({ cycleEndsAtMs: null, currentPlan: null }));
    expect(f).toMatchObject({ cycleEndsAt: null, beforeCycleEnd: false, exhaustsAt: new Date(monday + 10 * day).toISOString() });
    expect(f.suggestion?.kind).toBe('pack');
  });

  it('uses the weekday-aware spread once there are two weeks of history', () => {
    expect(chooseMethod(history(monday, 13, () => 1), monday)).toBe('trailing-7-day');
    expect(chooseMethod(history(monday, 14, () => 1), monday)).toBe('weekday-aware');
    expect(forecastExhaustion(input({ history: history(monday, 28, () => 100) })).method).toBe('weekday-aware');
  });

  it('keeps the weekly total of the last 7 days when spreading it by weekday', () => {
    const weekdays = (d: number) => ([0, 6].includes(new Date(d).getUTCDay()) ? 20 : 100);
    const { perDay, burnPerDay } = dailyProjection(history(monday, 28, weekdays), monday, 'weekday-aware');
    expect(burnPerDay).toBeCloseTo(540 / 7);
    expect(projectedBurn(perDay, monday, monday + 7 * day)).toBeCloseTo(540);
    expect(perDay(monday + 5 * day)).toBeCloseTo(20); // Saturday
  });
});

/** Deterministic noise in [-1, 1). */
function noise(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return (s / 2 ** 31) * 2 - 1;
  };
}

/**
 * For each of 60 forecast days, the error of the predicted cumulative burn 1 to 14 days ahead,
 * relative to what actually burnt: mean absolute percentage.
 */
function backtest(method: BurnMethod, burnt: (dayMs: number) => number): number {
  const start = monday;
  const errors: number[] = [];
  for (let origin = start + 28 * day; origin < start + 88 * day; origin += day) {
    const hist = Array.from({ length: 28 }, (_v, i) => origin - (28 - i) * day).map((d) => ({ dayMs: d, tokens: burnt(d) }));
    const { perDay } = dailyProjection(hist, origin, method);
    let actual = 0;
    for (let h = 1; h <= 14; h++) {
      actual += burnt(origin + (h - 1) * day);
      errors.push(Math.abs(projectedBurn(perDay, origin, origin + h * day) - actual) / actual);
    }
  }
  return errors.reduce((a, b) => a + b, 0) / errors.length;
}

describe('backtest of the burn spread', () => {
  // Storefront traffic: busy weekdays, quiet weekends, ±15 % daily noise.
  const shape = [0.35, 1.2, 1.25, 1.15, 1.2, 1.3, 0.6];
  const rand = noise(42);
  const seasonal = new Map<number, number>();
  const weekly = (d: number) => {
    if (!seasonal.has(d)) seasonal.set(d, Math.round(1_000 * shape[new Date(d).getUTCDay()]! * (1 + 0.15 * rand())));
    return seasonal.get(d)!;
  };
  const flatRand = noise(7);
  const flatDays = new Map<number, number>();
  const flat = (d: number) => {
    if (!flatDays.has(d)) flatDays.set(d, Math.round(1_000 * (1 + 0.15 * flatRand())));
    return flatDays.get(d)!;
  };

  it('predicts weekly-seasonal usage with a fraction of the trailing average\'s error', () => {
    const trailing = backtest('trailing-7-day', weekly);
    const aware = backtest('weekday-aware', weekly);
    console.log(`backtest weekly-seasonal: MAPE trailing-7-day ${(trailing * 100).toFixed(1)} %, weekday-aware ${(aware * 100).toFixed(1)} %`);
    expect(aware).toBeLessThan(trailing * 0.6);
  });

  it('costs next to nothing on usage with no weekly shape', () => {
    const trailing = backtest('trailing-7-day', flat);
    const aware = backtest('weekday-aware', flat);
    console.log(`backtest flat: MAPE trailing-7-day ${(trailing * 100).toFixed(1)} %, weekday-aware ${(aware * 100).toFixed(1)} %`);
    expect(aware).toBeLessThan(trailing * 1.5);
  });
});
