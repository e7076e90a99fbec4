// The usage page's calls: analytics for a range, the exhaustion forecast, and the CSV link.
// Shapes as the usage routes declare them (docs/openapi.json).
import { send } from './api';

export type Granularity = 'day' | 'hour';
export type UsageMode = 'live' | 'test';

export interface UsageQuery {
  /** YYYY-MM-DD, UTC, inclusive. */
  from: string;
  to: string;
  granularity: Granularity;
  mode: UsageMode;
}

export interface UsageAnalytics {
  from: string;
  to: string;
  granularity: Granularity;
  mode: UsageMode;
  totals: { uses: number; tokens: number; refundedUses: number; refundedTokens: number; netTokens: number };
  series: { at: string; byApp: Record<string, { uses: number; tokens: number }> }[];
  apps: { slug: string; name: string; uses: number; tokens: number; refundedTokens: number }[];
  keys: { id: string; name: string; prefix: string; mode: string; uses: number; tokens: number }[];
}

export interface UsageForecast {
  balance: number | null;
  burnPerDay: number;
  method: 'trailing-7-day' | 'weekday-aware';
  exhaustsAt: string | null;
  cycleEndsAt: string | null;
  beforeCycleEnd: boolean;
  suggestion: { kind: 'pack' | 'plan'; id: string; name: string; reason: string } | null;
  balanceSeries: { at: string; balance: number }[];
  forecastSeries: { at: string; balance: number }[];
}

const queryOf = (q: UsageQuery) => new URLSearchParams({ from: q.from, to: q.to, granularity: q.granularity, mode: q.mode });

/** A plain link, so the browser downloads it with the server's file name. `key`: admins only. */
export const usageExportHref = (q: UsageQuery, level: 'app' | 'key') => {
  const query = queryOf(q);
  query.set('level', level);
  return `/api/usage/export.csv?${query}`;
};

export const usageApi = {
  analytics: (q: UsageQuery) => send<UsageAnalytics>('GET', `/api/usage/analytics?${queryOf(q)}`),
  forecast: () => send<UsageForecast>('GET', '/api/usage/forecast'),
};
