// The brand's own frame catalog: the upload that replaces it whole (CSV or JSON), the page the
// portal reads, and the reset to the sample. The engines read it through the per-process cache
// (api/metering/frame-catalog-cache.ts), which every change here invalidates everywhere.
import { z } from 'zod';
import { colours, frameShapes, materials, type Frame } from '../../domain/engines/frame';
import { sampleCatalog } from '../../domain/engines';
import { AppError } from '../../domain/errors';
import { brandFramePage, clearBrandFrames, replaceBrandFrames } from '../../domain/frames/brand-frames';
import { frameColumns, maxFrames, maxUploadBytes } from '../../domain/frames/columns';
import { maxReportedIssues, parseCsvUpload, parseJsonUpload, type UploadOutcome } from '../../domain/frames/parse-upload';
import { recordRouteAudit } from '../audit';
import type { Deps } from '../deps';
import { readUpload } from '../middleware/raw-upload';
import { defineRoute } from '../route';
import { errorSchema } from '../schemas/common';
import { customerIdOf } from '../scope';
import type { AppContext } from '../state';

export const framesPath = '/api/frames';

const frameSchema = z
  .object({
    sku: z.string(),
    name: z.string(),
    shape: z.enum(frameShapes),
    material: z.enum(materials),
    colour: z.enum(colours),
    priceCents: z.number().int().nonnegative(),
    currency: z.literal('usd'),
    lensWidthMm: z.number().int(),
    bridgeMm: z.number().int(),
    templeMm: z.number().int(),
    totalWidthMm: z.number().int(),
  })
  .meta({ id: 'CatalogFrame' });

const catalogSchema = z.object({
  source: z.enum(['brand', 'sample']).meta({ description: "brand: the brand's upload, which the engines search; sample: none uploaded, the engines search the sample catalog." }),
  count: z.number().int().nonnegative(),
  updatedAt: z.string().nullable().meta({ description: 'When the upload was stored; null for the sample.' }),
  limit: z.number().int(),
  offset: z.number().int(),
  frames: z.array(frameSchema).meta({ description: 'This page, in upload order (the sample: by id).' }),
});

const uploadRow = z.object({
  sku: z.string(),
  name: z.string(),
  shape: z.enum(frameShapes),
  material: z.enum(materials),
  colour: z.enum(colours),
  price: z.union([z.string(), z.number()]).meta({ description: 'In dollars, at most two decimals: "129" or "129.00".' }),
  lensWidthMm: z.number().int(),
  bridgeMm: z.number().int(),
  templeMm: z.number().int(),
  totalWidthMm: z.number().int().optional().meta({ description: 'Front width; estimated as 2 × lens + bridge + 12 when left out.' }),
});

const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().nonnegative().max(maxFrames).default(0),
});

const toWire = (f: Frame) => ({
  sku: f.id, name: f.name, shape: f.shape, material: f.material, colour: f.colour, priceCents: f.priceCents, currency: f.currency,
  lensWidthMm: f.lensWidthMm, bridgeMm: f.bridgeMm, templeMm: f.templeMm, totalWidthMm: f.totalWidthMm,
});

/** Drop the brand from this process at once (the next run must see the change), the others through the live channel. */
async function dropCachedFrames(deps: Deps, customerId: string): Promise<void> {
  deps.metering.frames.forget(customerId);
  await deps.metering.live.publishInvalidation({ kind: 'frames', customerId });
}

async function readFrames(ctx: AppContext): Promise<{ outcome: UploadOutcome; format: 'csv' | 'json' }> {
  const format = ctx.is('text/csv', 'application/csv', 'text/plain') ? 'csv' : ctx.is('application/json') ? 'json' : null;
  if (!format) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the frames as text/csv or application/json.');
  const text = await readUpload(ctx, maxUploadBytes);
  if (format === 'csv') return { outcome: parseCsvUpload(text), format };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError('INVALID_JSON', 'The request body is not valid JSON.');
  }
  return { outcome: parseJsonUpload(body), format };
}

export const frameRoutes = [
  defineRoute({
    method: 'get',
    path: framesPath,
    summary: "Shows the brand's frame catalog: where it comes from, how many frames, when uploaded, and one page of frames",
    tag: 'frames',
    access: 'read',
    query: pageQuery,
    responses: {
      200: { description: "The brand's upload, or the sample catalog while it has none", schema: catalogSchema },
      403: { description: 'FORBIDDEN for an operator (no brand)', schema: errorSchema },
    },
    async handler(ctx, { query }, deps) {
      const page = await brandFramePage(deps.orm.em.fork(), customerIdOf(ctx), query);
      if (page.count > 0) {
        ctx.body = { source: 'brand', count: page.count, updatedAt: page.updatedAt?.toISOString() ?? null, ...query, frames: page.frames.map(toWire) };
        return;
      }
      const sample = sampleCatalog.frames;
      ctx.body = { source: 'sample', count: sample.length, updatedAt: null, ...query, frames: sample.slice(query.offset, query.offset + query.limit).map(toWire) };
    },
  }),
  defineRoute({
    method: 'put',
    path: framesPath,
    summary: `Replaces the brand's frame catalog with an upload (text/csv with a header row, or application/json); all or nothing, at most ${maxFrames} frames`,
    tag: 'frames',
    access: 'manage',
    rawBody: {
      description: `Columns (CSV header row, or the keys of each JSON object): ${frameColumns.join(', ')}. docs/guides/frame-catalog.md documents each.`,
      content: {
        'text/csv': z.string().meta({ example: 'sku,name,shape,material,colour,price,lensWidthMm,bridgeMm,templeMm\nAC-100,Ada Round,round,acetate,black,129.00,49,20,145' }),
        'application/json': z.union([z.array(uploadRow), z.object({ frames: z.array(uploadRow) })]),
      },
    },
    responses: {
      200: { description: 'Stored; the engines search these frames from now on', schema: z.object({ source: z.literal('brand'), count: z.number().int().positive(), updatedAt: z.string() }) },
      400: { description: 'INVALID_JSON', schema: errorSchema },
      403: { description: 'FORBIDDEN for viewers', schema: errorSchema },
      413: { description: `PAYLOAD_TOO_LARGE: over ${maxUploadBytes / 1024 / 1024} MB`, schema: errorSchema },
      415: { description: 'UNSUPPORTED_MEDIA_TYPE: neither text/csv nor application/json', schema: errorSchema },
      422: {
        description:
          `VALIDATION_FAILED: nothing was imported; details.fields lists every bad row (at most ${maxReportedIssues}, details.moreIssues counts the rest) ` +
          'as { path, field, message, line | index }: path reads "line 13: price" for a CSV (the header is line 1) and "body[12].price" for JSON (the array index). ' +
          `Duplicate SKUs are reported on the later row. TOO_MANY_FRAMES: more than ${maxFrames} rows.`,
        schema: errorSchema,
      },
    },
    async handler(ctx, _input, deps) {
      const customerId = customerIdOf(ctx);
      const { outcome, format } = await readFrames(ctx);
      if (!outcome.frames) {
        const issues = outcome.issues;
        const rows = new Set(issues.map((i) => i.line ?? i.index ?? -1)).size;
        throw new AppError('VALIDATION_FAILED', `${rows === 1 ? 'One row' : `${rows} rows`} of the upload ${rows === 1 ? 'is' : 'are'} invalid; nothing was imported.`, {
          fields: issues.slice(0, maxReportedIssues),
          ...(issues.length > maxReportedIssues ? { moreIssues: issues.length - maxReportedIssues } : {}),
        });
      }
      const frames = outcome.frames;
      const stored = await deps.orm.em.fork().transactional(async (tx) => {
        const result = await replaceBrandFrames(tx, customerId, frames);
        recordRouteAudit(ctx, tx, { action: 'frames.replaced', target: { type: 'customer', id: customerId }, details: { frames: result.count, format } });
        return result;
      });
      await dropCachedFrames(deps, customerId);
      ctx.body = { source: 'brand', count: stored.count, updatedAt: stored.updatedAt.toISOString() };
    },
  }),
  defineRoute({
    method: 'delete',
    path: framesPath,
    summary: "Removes the brand's upload: the engines search the sample catalog again",
    tag: 'frames',
    access: 'manage',
    responses: {
      200: { description: 'Back on the sample; removed counts the frames deleted (0 when there were none)', schema: z.object({ source: z.literal('sample'), removed: z.number().int().nonnegative() }) },
      403: { description: 'FORBIDDEN for viewers', schema: errorSchema },
    },
    async handler(ctx, _input, deps) {
      const customerId = customerIdOf(ctx);
      const removed = await deps.orm.em.fork().transactional(async (tx) => {
        const count = await clearBrandFrames(tx, customerId);
        recordRouteAudit(ctx, tx, { action: 'frames.reset', target: { type: 'customer', id: customerId }, details: { removed: count } });
        return count;
      });
      await dropCachedFrames(deps, customerId);
      ctx.body = { source: 'sample', removed };
    },
  }),
];
