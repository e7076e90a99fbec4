// The brand's data export, for its admins (domain/privacy/export.ts says what is in it and how
// the CSV is laid out). Streamed: the answer starts at once and the server holds one page of
// rows at a time. Invoices are read from Stripe first, so a Stripe outage is a clean 503, not a
// cut-off file. Each export is audited: it carries the staff's personal data off the platform.
import { Readable } from 'node:stream';
import { z } from 'zod';
import { listInvoices, type InvoiceSummary } from '../../domain/billing/invoices';
import { brandExport, type ExportRow } from '../../domain/privacy/export';
import { auditRoute } from '../audit';
import type { Deps } from '../deps';
import { defineRoute } from '../route';
import { errorSchema } from '../schemas/common';
import { customerIdOf } from '../scope';

/** Far beyond any brand's invoices (one a month); the bound keeps a runaway list from holding the request. */
const maxInvoicePages = 50;

async function allInvoices(deps: Deps, customerId: string): Promise<ExportRow[]> {
  const rows: InvoiceSummary[] = [];
  let startingAfter: string | undefined;
  for (let i = 0; i < maxInvoicePages; i++) {
    const page = await listInvoices(deps.orm.em.fork(), deps.stripe, customerId, { limit: 100, startingAfter });
    rows.push(...page.invoices);
    if (!page.hasMore || page.invoices.length === 0) break;
    startingAfter = page.invoices[page.invoices.length - 1]!.id;
  }
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), periodStart: r.periodStart.toISOString(), periodEnd: r.periodEnd.toISOString() }));
}

export const accountExportRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/account/export',
    summary: "Downloads the brand's data: staff, apps, configurations, usage, invoices, purchases (admins only; streamed)",
    tag: 'account',
    access: 'administer',
    query: z.object({ format: z.enum(['json', 'csv']).default('json').meta({ description: 'json: one object of tables; csv: one file of `table,record,field,value` lines.' }) }),
    responses: {
      200: {
        description: 'An attachment named varai-export-<date>.json or .csv. JSON: `{ format, customerId, exportedAt, tables: { brand, staff, apps, configurations, usage, invoices, purchases } }`; CSV: one line per cell, `table,record,field,value`.',
        mediaType: 'application/octet-stream',
        schema: z.string(),
      },
      403: { description: 'FORBIDDEN: managers, viewers and operators', schema: errorSchema },
      422: { description: 'VALIDATION_FAILED: format is neither json nor csv', schema: errorSchema },
      503: { description: 'SERVICE_UNAVAILABLE: Stripe could not list the invoices; nothing was sent', schema: errorSchema },
    },
    async handler(ctx, { query }, deps) {
      const customerId = customerIdOf(ctx);
      const invoices = await allInvoices(deps, customerId);
      await auditRoute(ctx, deps.orm.em.fork(), { action: 'account.data_exported', target: { type: 'customer', id: customerId }, details: { format: query.format } });
      const day = new Date().toISOString().slice(0, 10);
      ctx.set('Content-Disposition', `attachment; filename="varai-export-${day}.${query.format}"`);
      ctx.set('Cache-Control', 'no-store');
      ctx.type = query.format === 'json' ? 'application/json; charset=utf-8' : 'text/csv; charset=utf-8';
      ctx.body = Readable.from(brandExport(deps.orm, customerId, invoices, query.format));
    },
  }),
];
