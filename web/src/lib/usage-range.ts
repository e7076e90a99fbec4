// The usage page's range, as it rides in the hash (`#/usage?range=30` or
// `#/usage?from=2026-11-01&to=2026-11-29`, plus `mode=test`): a preset counts back from today
// (UTC, today included); a custom range names both days. Pure, so it is unit-tested.

export type Granularity = 'day' | 'hour';
export type UsageMode = 'live' | 'test';

/** What the analytics and export routes are asked. */
export interface UsageQuery {
  /** YYYY-MM-DD, UTC, inclusive. */
  from: string;
  to: string;
  granularity: Granularity;
  mode: UsageMode;
}

export const presets = [7, 30, 90] as const;
export type Preset = (typeof presets)[number];

export interface UsageRange {
  /** A preset's length in days, or null for the custom `from`/`to`. */
  preset: Preset | null;
  from: string;
  to: string;
  mode: UsageMode;
  /** Hourly buckets, asked for (`by=hour`); honoured for a week or less, the API's limit. */
  hourly: boolean;
}

const dayMs = 86_400_000;
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);
const validDay = (s: string | null): s is string => !!s && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));

export function presetRange(days: Preset, today: string): { from: string; to: string } {
  return { from: isoDay(Date.parse(`${today}T00:00:00Z`) - (days - 1) * dayMs), to: today };
}

export function rangeOf(query: URLSearchParams, today: string): UsageRange {
  const mode: UsageMode = query.get('mode') === 'test' ? 'test' : 'live';
  const hourly = query.get('by') === 'hour';
  const from = query.get('from');
  const to = query.get('to');
  if (!query.get('range') && validDay(from) && validDay(to)) return { preset: null, from, to, mode, hourly };
  const preset = presets.find((p) => String(p) === query.get('range')) ?? 30;
  return { preset, ...presetRange(preset, today), mode, hourly };
}

export function rangeQuery(r: UsageRange): string {
  const query = new URLSearchParams(r.preset ? { range: String(r.preset) } : { from: r.from, to: r.to });
  if (r.mode === 'test') query.set('mode', 'test');
  if (r.hourly) query.set('by', 'hour');
  return query.toString();
}

/** Days in the range, both ends included. */
export const rangeDays = (r: Pick<UsageRange, 'from' | 'to'>) => Math.round((Date.parse(r.to) - Date.parse(r.from)) / dayMs) + 1;

export const hourlyAllowed = (r: Pick<UsageRange, 'from' | 'to'>) => rangeDays(r) <= 7;

export const granularityOf = (r: UsageRange): Granularity => (r.hourly && hourlyAllowed(r) ? 'hour' : 'day');

export const usageQueryOf = (r: UsageRange): UsageQuery => ({ from: r.from, to: r.to, mode: r.mode, granularity: granularityOf(r) });
