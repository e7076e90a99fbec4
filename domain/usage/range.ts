// A usage range: whole UTC days, `from` and `to` inclusive on the wire, end exclusive inside.
export type Granularity = 'day' | 'hour';
export type KeyMode = 'live' | 'test';

export const dayMs = 86_400_000;
export const hourMs = 3_600_000;
/** Longest range a query may ask for, in days. */
export const maxRangeDays = 366;
/** Longest range hourly buckets may be asked for, in days (168 buckets). */
export const maxHourlyDays = 7;

export interface UsageRange {
  /** YYYY-MM-DD, as asked. */
  from: string;
  to: string;
  startMs: number;
  /** Midnight after `to` (end exclusive). */
  endMs: number;
  granularity: Granularity;
  mode: KeyMode;
}

/** Milliseconds of a YYYY-MM-DD day's UTC midnight, or null when it is no calendar date (2026-02-30). */
export function parseDay(s: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return null;
  const ms = Date.parse(`${s}T00:00:00Z`);
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== s ? null : ms;
}

export const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function usageRange(from: string, to: string, granularity: Granularity, mode: KeyMode): UsageRange {
  const startMs = parseDay(from);
  const toMs = parseDay(to);
  if (startMs === null || toMs === null) throw new Error(`not a day range: ${from}..${to}`);
  return { from, to, startMs, endMs: toMs + dayMs, granularity, mode };
}

/** Every bucket start of the range, so a series has no holes. */
export function bucketStarts(r: Pick<UsageRange, 'startMs' | 'endMs' | 'granularity'>): number[] {
  const step = r.granularity === 'hour' ? hourMs : dayMs;
  const out: number[] = [];
  for (let t = r.startMs; t < r.endMs; t += step) out.push(t);
  return out;
}
