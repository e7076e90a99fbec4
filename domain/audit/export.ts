// The audit log as CSV, read page by page (keyset, like the viewer) so a brand with years of
// entries streams in constant memory. Cells a spreadsheet would run as a formula are defused.
import type { EntityManager } from '@mikro-orm/postgresql';
import { listAudit, type AuditFilter, type AuditRow } from './list';

const exportPageSize = 1000;

export const auditCsvHeader = ['id', 'at', 'actor_kind', 'actor', 'actor_email', 'api_key_prefix', 'action', 'target_type', 'target_id', 'ip', 'request_id', 'details'];

/**
 * RFC 4180 quoting, and a leading `'` on text starting with = + - @ or a tab/CR, which Excel and
 * Sheets would otherwise evaluate (OWASP "CSV injection"): actor names and details are typed by people.
 */
export function csvCell(value: string | null): string {
  if (value === null) return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const csvLine = (cells: (string | null)[]): string => `${cells.map(csvCell).join(',')}\r\n`;

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
