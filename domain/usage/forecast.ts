// When the balance runs out at the current burn rate: pure, so the portal's forecast, the weekly
// summary mail and the backtest in test/domain/usage/forecast.test.ts all use the same rule.
//
// Burn rate: the average of the last 7 complete UTC days; a brand whose first use is younger
// than that is averaged since its first use, today's tokens so far included, over at least one
// day (so a brand that started today does not read "0 a day", nor 30 tokens in its first minutes
// as a flood). Two ways to spread it over the days to come:
// - 'trailing-7-day': every day burns the average;
// - 'weekday-aware': each weekday burns what that weekday burnt over the last (up to) 4 weeks,
//   scaled so a week still burns what the last 7 days did (the level follows the trend, the shape
//   follows the week).
// Brands' traffic is weekly-seasonal (storefronts busier on some days), and on such data the
// weekday-aware spread predicts the balance days ahead with a fraction of the error (the backtest
// in the unit test); with no weekly shape both agree. It needs two weeks of history to have a
// shape, so a brand with less gets the plain average.
import { formatCents } from '../units';
import { dayMs } from './range';

export type BurnMethod = 'trailing-7-day' | 'weekday-aware';

/** Net tokens a UTC day burnt. */
export interface DailyTokens {
  dayMs: number;
  tokens: number;
}

export interface PackOffer { id: string; name: string; tokens: number; priceCents: number }
export interface PlanOffer { id: string; name: string; allowanceTokens: number | null; priceCents: number }

export interface ForecastInput {
  nowMs: number;
  /** Usable tokens now; null is unlimited. */
  balance: number | null;
  /** Complete UTC days before today since the brand's first use (up to 28 are read); missing days burnt nothing. */
  history: DailyTokens[];
  /** Net tokens burnt so far today; counted only while the history is shorter than a week. */
  todayTokens?: number;
  /** When the cycle's allowance expires; null without a plan. */
  cycleEndsAtMs: number | null;
  packs: PackOffer[];
  plans: PlanOffer[];
  currentPlan: PlanOffer | null;
  /** Forces a method (the backtest); by default weekday-aware once there are two weeks of history. */
  method?: BurnMethod;
}

export interface Suggestion { kind: 'pack' | 'plan'; id: string; name: string; reason: string }

export interface Forecast {
  balance: number | null;
  burnPerDay: number;
  method: BurnMethod;
  exhaustsAt: string | null;
  cycleEndsAt: string | null;
  beforeCycleEnd: boolean;
  suggestion: Suggestion | null;
  /** From now to the cycle end (30 days without a cycle), daily, stopping where the balance reaches 0. */
  forecastSeries: { at: string; balance: number }[];
}

const maxHistoryDays = 28;
export const weekdayAwareMinDays = 14;
/** How far ahead a forecast looks without a cycle end, and for exhaustion at all. */
const noCycleHorizonDays = 30;
const maxHorizonDays = 400;

const startOfDay = (ms: number) => Math.floor(ms / dayMs) * dayMs;

/** Tokens each future day is expected to burn, by the method. */
export function dailyProjection(history: DailyTokens[], todayMs: number, method: BurnMethod, todayTokens = 0): { perDay: (dayStartMs: number) => number; burnPerDay: number } {
  const today = startOfDay(todayMs);
  if (history.length < 7) {
    // Young: history is zero-filled from the first use, so its length is the complete days since.
    const burnPerDay = (history.reduce((sum, d) => sum + d.tokens, 0) + todayTokens) / Math.max(1, history.length + (todayMs - today) / dayMs);
    return { perDay: () => burnPerDay, burnPerDay };
  }
  const byDay = new Map<number, number>();
  for (const d of history) byDay.set(startOfDay(d.dayMs), (byDay.get(startOfDay(d.dayMs)) ?? 0) + d.tokens);
  const burnt = (daysAgo: number) => byDay.get(today - daysAgo * dayMs) ?? 0;
  let lastWeek = 0;
  for (let i = 1; i <= 7; i++) lastWeek += burnt(i);
  const burnPerDay = lastWeek / 7;
  if (method === 'trailing-7-day') return { perDay: () => burnPerDay, burnPerDay };
  const days = Math.min(maxHistoryDays, history.length === 0 ? 0 : Math.round((today - Math.min(...history.map((d) => startOfDay(d.dayMs)))) / dayMs));
  const weeks = Math.max(1, Math.floor(days / 7));
  const byWeekday = new Array<number>(7).fill(0);
  for (let i = 1; i <= weeks * 7; i++) byWeekday[new Date(today - i * dayMs).getUTCDay()]! += burnt(i) / weeks;
  const meanWeek = byWeekday.reduce((a, b) => a + b, 0);
  const scale = meanWeek > 0 ? lastWeek / meanWeek : 1;
  return { perDay: (dayStart) => (meanWeek > 0 ? byWeekday[new Date(dayStart).getUTCDay()]! * scale : burnPerDay), burnPerDay };
}

/** Tokens expected to burn between two instants (a day burns evenly through its hours). */
export function projectedBurn(perDay: (dayStartMs: number) => number, fromMs: number, toMs: number): number {
  let sum = 0;
  for (let day = startOfDay(fromMs); day < toMs; day += dayMs) {
    const overlap = Math.min(toMs, day + dayMs) - Math.max(fromMs, day);
    if (overlap > 0) sum += (perDay(day) * overlap) / dayMs;
  }
  return sum;
}

export function chooseMethod(history: DailyTokens[], nowMs: number): BurnMethod {
  if (history.length === 0) return 'trailing-7-day';
  const first = Math.min(...history.map((d) => startOfDay(d.dayMs)));
  return (startOfDay(nowMs) - first) / dayMs >= weekdayAwareMinDays ? 'weekday-aware' : 'trailing-7-day';
}

export function forecastExhaustion(input: ForecastInput): Forecast {
  const method = input.method ?? chooseMethod(input.history, input.nowMs);
  const { perDay, burnPerDay } = dailyProjection(input.history, input.nowMs, method, input.todayTokens);
  const cycleEndsAt = input.cycleEndsAtMs === null ? null : new Date(input.cycleEndsAtMs).toISOString();
  const base = { burnPerDay: Math.round(burnPerDay), method, cycleEndsAt };
  if (input.balance === null) return { ...base, balance: null, exhaustsAt: null, beforeCycleEnd: false, suggestion: null, forecastSeries: [] };

  const now = input.nowMs;
  const horizonEnd = input.cycleEndsAtMs !== null && input.cycleEndsAtMs > now ? input.cycleEndsAtMs : now + noCycleHorizonDays * dayMs;
  const exhaustsAtMs = exhaustion(perDay, input.balance, now);
  const beforeCycleEnd = exhaustsAtMs !== null && input.cycleEndsAtMs !== null && exhaustsAtMs < input.cycleEndsAtMs;
  const shortfall = Math.ceil(projectedBurn(perDay, now, horizonEnd) - input.balance);
  return {
    ...base,
    balance: input.balance,
    exhaustsAt: exhaustsAtMs === null ? null : new Date(exhaustsAtMs).toISOString(),
    beforeCycleEnd,
    suggestion: exhaustsAtMs !== null && exhaustsAtMs < horizonEnd && shortfall > 0 ? suggest(shortfall, perDay, now, input) : null,
    forecastSeries: series(perDay, input.balance, now, horizonEnd, exhaustsAtMs),
  };
}

/** The instant the balance reaches 0, or null when it does not within the horizon (or nothing burns). */
function exhaustion(perDay: (d: number) => number, balance: number, now: number): number | null {
  if (balance <= 0) return now;
  let left = balance;
  for (let from = now, i = 0; i < maxHorizonDays; i++) {
    const to = startOfDay(from) + dayMs;
    const burn = projectedBurn(perDay, from, to);
    if (burn >= left) return Math.round(from + ((to - from) * left) / burn);
    left -= burn;
    from = to;
  }
  return null;
}

function series(perDay: (d: number) => number, balance: number, now: number, end: number, exhaustsAtMs: number | null): Forecast['forecastSeries'] {
  const out = [{ at: new Date(now).toISOString(), balance }];
  const stop = exhaustsAtMs !== null && exhaustsAtMs < end ? exhaustsAtMs : end;
  for (let t = startOfDay(now) + dayMs; t < stop; t += dayMs) out.push({ at: new Date(t).toISOString(), balance: Math.max(0, Math.round(balance - projectedBurn(perDay, now, t))) });
  if (stop > now) out.push({ at: new Date(stop).toISOString(), balance: Math.max(0, Math.round(balance - projectedBurn(perDay, now, stop))) });
  return out;
}

/**
 * The smallest pack that covers the shortfall to the horizon (or the cheapest number of one pack
 * when none does alone); a plan instead when those packs would cost more than moving up to the
 * cheapest dearer plan whose monthly allowance covers a month at this rate (or is unlimited).
 */
function suggest(shortfall: number, perDay: (d: number) => number, now: number, input: ForecastInput): Suggestion | null {
  const byTokens = [...input.packs].sort((a, b) => a.tokens - b.tokens || a.priceCents - b.priceCents);
  const single = byTokens.find((p) => p.tokens >= shortfall);
  const pack = single
    ? { pack: single, count: 1 }
    : byTokens
        .map((p) => ({ pack: p, count: Math.ceil(shortfall / p.tokens) }))
        .sort((a, b) => a.count * a.pack.priceCents - b.count * b.pack.priceCents)[0];
  const monthNeed = projectedBurn(perDay, now, now + 30 * dayMs);
  const currentPrice = input.currentPlan?.priceCents ?? 0;
  const plan = input.plans
    .filter((p) => p.id !== input.currentPlan?.id && p.priceCents > currentPrice && (p.allowanceTokens === null || p.allowanceTokens >= monthNeed))
    .sort((a, b) => a.priceCents - b.priceCents)[0];
  const packCost = pack ? pack.count * pack.pack.priceCents : Infinity;
  if (plan && packCost > plan.priceCents - currentPrice) {
    const covers = plan.allowanceTokens === null ? 'unlimited tokens' : `${plan.allowanceTokens} tokens a month`;
    const packs = pack ? `Token packs to last this cycle would cost ${formatCents(packCost)}; ` : '';
    return { kind: 'plan', id: plan.id, name: plan.name, reason: `${packs}the ${plan.name} plan costs ${formatCents(plan.priceCents - currentPrice)} more a month and includes ${covers}.` };
  }
  if (!pack) return null;
  const what = pack.count === 1 ? `One ${pack.pack.name}` : `${pack.count} × ${pack.pack.name}`;
  return { kind: 'pack', id: pack.pack.id, name: pack.pack.name, reason: `At this rate you need about ${shortfall} more tokens before the balance renews. ${what} (${pack.pack.tokens * pack.count} tokens) covers it for ${formatCents(packCost)}.` };
}
