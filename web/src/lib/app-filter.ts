// The apps page's search and filters, applied in the browser to the one catalog list the API
// sent (ten-odd apps: a request per keystroke would only add latency). They live in the hash's
// query (`#/apps?q=try&category=try-on&included=1&active=1`), so a reload or a shared link keeps them.
import type { App } from './types';

export interface AppFilter {
  /** Every whitespace-separated term must appear in the name, description or category. */
  q: string;
  /** '' is every category. */
  category: string;
  /** Only apps the brand's plan includes. */
  included: boolean;
  /** Only apps active (or being activated) for the brand. */
  active: boolean;
}

export const noFilter: AppFilter = { q: '', category: '', included: false, active: false };

export const isFiltered = (f: AppFilter) => f.q.trim() !== '' || f.category !== '' || f.included || f.active;

/** "Active for my brand" counts an app being turned on: the brand asked for it, it is on its way. */
const liveStatuses = new Set(['active', 'activating']);

export function matches(app: App, f: AppFilter): boolean {
  if (f.category && app.category !== f.category) return false;
  if (f.included && app.includedInPlan !== true) return false;
  if (f.active && !liveStatuses.has(app.activation?.status ?? 'inactive')) return false;
  const text = `${app.name}\n${app.description}\n${app.category}`.toLowerCase();
  return f.q.toLowerCase().split(/\s+/).filter(Boolean).every((term) => text.includes(term));
}

export function filterOf(query: URLSearchParams): AppFilter {
  return { q: query.get('q') ?? '', category: query.get('category') ?? '', included: query.get('included') === '1', active: query.get('active') === '1' };
}

/** The query for a filter; empty when nothing is filtered. */
export function queryOf(f: AppFilter): string {
  const query = new URLSearchParams();
  if (f.q.trim()) query.set('q', f.q.trim());
  if (f.category) query.set('category', f.category);
  if (f.included) query.set('included', '1');
  if (f.active) query.set('active', '1');
  return query.toString();
}

/** The categories present, in the catalog's order of first appearance. */
export const categoriesOf = (apps: App[]) => [...new Set(apps.map((a) => a.category))];
