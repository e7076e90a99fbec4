// The usage page's calls: analytics for a range, the exhaustion forecast, and the CSV link.
import { send } from './api';
import type { Ok } from './types';
import type { UsageQuery } from './usage-range';

export type UsageAnalytics = Ok<'getApiUsageAnalytics'>;
export type UsageForecast = Ok<'getApiUsageForecast'>;

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
