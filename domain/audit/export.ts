// The audit log as CSV, read page by page (keyset, like the viewer) so a brand with years of
// entries streams in constant memory. Cells are written as the usage export writes them (quoted,
// formulas defused: ../usage/csv.ts), since people type the names in them.
import type { EntityManager } from '@mikro-orm/postgresql';
import { csvLine } from '../usage/csv';
import { listAudit, type AuditFilter, type AuditRow } from './list';

const exportPageSize = 1000;

export const auditCsvHeader = ['id', 'at', 'actor_kind', 'actor', 'actor_email', 'api_key_prefix', 'action', 'target_type', 'target_id', 'ip', 'request_id', 'details'];

function cellsOf(r: AuditRow): (string | null)[] {
  return [
    r.id,
    r.at.toISOString(),
    r.actor.kind,
    r.actor.label,
    r.actor.email,
    r.actor.apiKeyPrefix,
    r.action,
    r.target?.type ?? null,
    r.target?.id ?? null,
    r.ip,
    r.requestId,
    Object.keys(r.details).length > 0 ? JSON.stringify(r.details) : null,
  ];
}

/** The header line, then one line per entry, newest first. */
export async function* auditCsv(em: EntityManager, customerId: string, filter: AuditFilter): AsyncGenerator<string> {
  yield csvLine(auditCsvHeader);
  let before: string | undefined;
  for (;;) {
    const page = await listAudit(em, customerId, filter, { before, limit: exportPageSize });
    yield page.rows.map((r) => csvLine(cellsOf(r))).join('');
    if (!page.nextCursor) return;
    before = page.nextCursor;
  }
}

/** `acme-optics-audit-2026-11-01-to-2026-11-29.csv`; an open range says `start` / the day it was made. */
export function auditFileName(brandName: string, from: string | undefined, to: string | undefined, today: string): string {
  const slug = brandName.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'brand';
  return `${slug}-audit-${from ?? 'start'}-to-${to ?? today}.csv`;
}
