// The audit log viewer's calls, and its filters as they ride in the hash
// (`#/audit?actor=user:<id>&action=api_key.created&from=2026-11-01&to=2026-11-29`).
import { send } from './api';
import type { Ok } from './types';

export type AuditPage = Ok<'getApiAudit'>;
export type AuditEntry = AuditPage['entries'][number];
export type AuditFacets = Ok<'getApiAuditFilters'>;

export interface AuditFilter {
  /** '' is everyone; otherwise a value from the facets (`user:<id>`, `system`). */
  actor: string;
  action: string;
  /** YYYY-MM-DD, inclusive; '' for open. */
  from: string;
  to: string;
}

export const noAuditFilter: AuditFilter = { actor: '', action: '', from: '', to: '' };

const keys = ['actor', 'action', 'from', 'to'] as const;

export function auditFilterOf(query: URLSearchParams): AuditFilter {
  return Object.fromEntries(keys.map((k) => [k, query.get(k) ?? ''])) as unknown as AuditFilter;
}

/** Only the filters set: the API refuses an empty value as it refuses any bad one. */
export function auditQueryOf(f: AuditFilter): URLSearchParams {
  const query = new URLSearchParams();
  for (const k of keys) if (f[k]) query.set(k, f[k]);
  return query;
}

const withQuery = (path: string, query: URLSearchParams) => (query.toString() ? `${path}?${query}` : path);

/** The CSV of the same filters; a plain link, so the browser downloads it with the server's file name. */
export const auditExportHref = (f: AuditFilter) => withQuery('/api/audit/export.csv', auditQueryOf(f));

export const auditApi = {
  page: (f: AuditFilter, cursor: string | null, limit = 50) => {
    const query = auditQueryOf(f);
    query.set('limit', String(limit));
    if (cursor) query.set('cursor', cursor);
    return send<AuditPage>('GET', withQuery('/api/audit', query));
  },
  facets: () => send<AuditFacets>('GET', '/api/audit/filters'),
};
