// The anomaly rules, pure: one minute's count in, the new state and maybe an alarm out.
//
// Spike (per brand and per API key, on uses per minute):
//   alarm when   rate > max(floor, ewma + k·σ, multiple·ewma)
//   and only after `warmupMinutes` of history,
// where ewma and σ are the exponentially weighted mean and standard deviation of the earlier
// minutes' rates (weight `alpha` on the newest; a minute without uses counts as 0). Each term
// answers one false alarm: the floor, a small brand whose 3 uses become 30 (and a brand's first
// day, whose baseline is still near zero); k·σ, a brand whose traffic is naturally bursty; the
// multiple, a steady ramp (+5 %/minute keeps the rate near 1.4× its own ewma, see test).
//
// Flood (per API key and per IP, on 4xx answers of /v1/* per minute): alarm when
//   count > floodPerMinute. No baseline: a healthy client is not refused a hundred times a minute.
//
// Episodes: one alarm per episode. An episode starts with the first minute over the threshold
// and ends after `quietMinutes` in a row under it; the episode's first minute names it (the
// dedupe key of the notice and the operator alert), so re-evaluating a minute repeats nothing.

export const anomalyRule = {
  /** Weight of the newest minute in the ewma (half-life about 6.6 minutes). */
  alpha: 0.1,
  /** Standard deviations above the ewma. */
  k: 4,
  /** Times the ewma. */
  multiple: 3,
  /** Uses per minute below which nothing is a spike (2 a second). */
  floorPerMinute: 120,
  /** Minutes of history before a baseline is trusted: a brand's or key's first hour never alarms. */
  warmupMinutes: 60,
  /** 4xx answers per minute from one key or IP that make a flood. */
  floodPerMinute: 120,
  /** Minutes under the threshold that end an episode. */
  quietMinutes: 15,
};

export type AnomalyRule = typeof anomalyRule;

/** Episode bookkeeping, shared by both rules. Minutes are whole minutes since the epoch. */
export interface Episode {
  /** First minute of the current episode; null: none under way. */
  e: number | null;
  /** Last minute over the threshold. */
  a: number | null;
}

/** A spike baseline, stored as JSON in Redis: short names, since every active key has one. */
export interface SpikeState extends Episode {
  /** First minute seen. */
  f: number;
  /** Last minute folded into the ewma. */
  l: number;
  /** ewma of uses per minute. */
  m: number;
  /** Exponentially weighted variance. */
  v: number;
}

export interface Alarm {
  /** The minute's count. */
  rate: number;
  /** ewma before this minute (0 for floods). */
  baseline: number;
  /** σ before this minute (0 for floods). */
  deviation: number;
  threshold: number;
  /** Names the episode. */
  episodeStart: number;
}

/** One step of the ewma and its variance (West/Finch's incremental form). */
function fold(s: SpikeState, x: number, alpha: number): void {
  const d = x - s.m;
  const incr = alpha * d;
  s.m += incr;
  s.v = (1 - alpha) * (s.v + d * incr);
}

/** After this many empty minutes the baseline is zero to the precision that matters (0.9^300 ≈ 2e-14). */
const maxGap = 300;

export function spikeThreshold(s: Pick<SpikeState, 'm' | 'v'>, rule: AnomalyRule = anomalyRule): number {
  return Math.max(rule.floorPerMinute, s.m + rule.k * Math.sqrt(Math.max(0, s.v)), rule.multiple * s.m);
}

/**
 * Moves the episode on. Returns the alarm's episode start when this minute opens a new episode
 * (the only time anyone is told), else null.
 */
function step(ep: Episode, minute: number, over: boolean, rule: AnomalyRule): number | null {
  if (over) {
    const continuing = ep.e !== null && ep.a !== null && minute - ep.a < rule.quietMinutes;
    ep.a = minute;
    if (continuing) return null;
    ep.e = minute;
    return minute;
  }
  if (ep.e !== null && ep.a !== null && minute - ep.a >= rule.quietMinutes) ep.e = null;
  return null;
}

/**
 * Folds one minute's uses into a baseline. Minutes are evaluated in order; a minute not after
 * the last one folded (a repeat) changes nothing and alarms nothing.
 */
export function observeSpike(prev: SpikeState | null, minute: number, count: number, rule: AnomalyRule = anomalyRule): { state: SpikeState; alarm: Alarm | null } {
  if (prev && minute <= prev.l) return { state: prev, alarm: null };
  const s: SpikeState = prev ? { ...prev } : { f: minute, l: minute - 1, m: 0, v: 0, e: null, a: null };
  for (let gap = Math.min(minute - s.l - 1, maxGap); gap > 0; gap -= 1) fold(s, 0, rule.alpha);
  const baseline = s.m;
  const deviation = Math.sqrt(Math.max(0, s.v));
  const threshold = spikeThreshold(s, rule);
  const warm = minute - s.f >= rule.warmupMinutes;
  const over = warm && count > threshold;
  const started = step(s, minute, over, rule);
  // An alarming minute enters the baseline only up to the threshold: a burst must not teach the
  // baseline that bursts are normal, or a second one an hour later would pass unseen.
  fold(s, over ? threshold : count, rule.alpha);
  s.l = minute;
  return { state: s, alarm: started === null ? null : { rate: count, baseline, deviation, threshold, episodeStart: started } };
}

/** One minute's 4xx count from one key or IP. `prev` null: no episode known. */
export function observeFlood(prev: Episode | null, minute: number, count: number, rule: AnomalyRule = anomalyRule): { state: Episode; alarm: Alarm | null } {
  const s: Episode = prev ? { ...prev } : { e: null, a: null };
  const started = step(s, minute, count > rule.floodPerMinute, rule);
  return { state: s, alarm: started === null ? null : { rate: count, baseline: 0, deviation: 0, threshold: rule.floodPerMinute, episodeStart: started } };
}

/** A flood state with nothing under way is not worth keeping. */
export const floodIsIdle = (s: Episode, minute: number, rule: AnomalyRule = anomalyRule): boolean => s.e === null && (s.a === null || minute - s.a >= rule.quietMinutes);
