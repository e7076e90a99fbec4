// The columns of a brand's frame upload, CSV and JSON alike, and the check of one row. The
// vocabulary (shapes, materials, colours) is the engines' own, so an uploaded frame can be found
// by every filter a shopper can send. docs/guides/frame-catalog.md documents the same table.
import { z } from 'zod';
import { colours, frameShapes, materials, type Frame } from '../engines/frame';

/** A brand's catalog, at most this many frames: the engines scan it in memory on every run. */
export const maxFrames = 5_000;
/** The upload's body, at most: 5,000 CSV rows are about 500 KB; JSON with its keys about twice. */
export const maxUploadBytes = 2 * 1024 * 1024;

/** Hinge overhang both sides, when the front width is not given (the sample catalog's 5–8 mm). */
const estimatedEndPiecesMm = 12;

const mm = (min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? Number(v.trim()) : v === '' ? undefined : v),
    z
      .number({ error: (i) => (i.input === undefined ? 'required' : 'a whole number of millimetres') })
      .int('a whole number of millimetres')
      .min(min, `at least ${min} mm`)
      .max(max, `at most ${max} mm`),
  );

/** Major units with at most two decimals ("129", "129.5", "129.00"): read as a string, so no float ever rounds a cent. */
const price = z.union([z.string(), z.number()], { error: 'required' }).transform((v, ctx) => {
  const text = String(v).trim();
  const m = /^(\d{1,6})(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) {
    ctx.addIssue({ code: 'custom', message: 'a price like 129 or 129.00 (at most 999999.99, no currency sign)' });
    return z.NEVER;
  }
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
});

// Control characters are refused: shoppers would see them, and PostgreSQL refuses a NUL in text
// outright (the upload's raw body does not pass the JSON input guard).
const trimmed = (max: number) =>
  z
    .string({ error: 'required' })
    .trim()
    .min(1, 'required')
    .max(max, `at most ${max} characters`)
    // eslint-disable-next-line no-control-regex
    .regex(/^[^\u0000-\u001f\u007f]*$/, { message: 'no control characters', abort: true });
const lowerEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), z.enum(values, { error: `one of ${values.join(', ')}` }));

export const frameRowSchema = z
  .object({
    sku: trimmed(64).regex(/^[A-Za-z0-9][A-Za-z0-9._\-/]*$/, 'letters, digits and . _ - / only'),
    name: trimmed(120),
    shape: lowerEnum(frameShapes),
    material: lowerEnum(materials),
    colour: lowerEnum(colours),
    price,
    lensWidthMm: mm(30, 70),
    bridgeMm: mm(10, 30),
    templeMm: mm(110, 160),
    totalWidthMm: z.preprocess((v) => (v === '' || v === null ? undefined : v), mm(90, 180).optional()),
  })
  .strict();

export type FrameRow = z.input<typeof frameRowSchema>;

/** The columns in upload order; the first seven and the three sizes are required. */
export const frameColumns = ['sku', 'name', 'shape', 'material', 'colour', 'price', 'lensWidthMm', 'bridgeMm', 'templeMm', 'totalWidthMm'] as const;
export const requiredColumns = frameColumns.filter((c) => c !== 'totalWidthMm');

/** A parsed row as the engines see it: the SKU is the frame's id. */
export function toFrame(row: z.output<typeof frameRowSchema>): Frame {
  return {
    id: row.sku,
    name: row.name,
    shape: row.shape,
    material: row.material,
    colour: row.colour,
    priceCents: row.price,
    currency: 'usd',
    lensWidthMm: row.lensWidthMm,
    bridgeMm: row.bridgeMm,
    templeMm: row.templeMm,
    totalWidthMm: row.totalWidthMm ?? 2 * row.lensWidthMm + row.bridgeMm + estimatedEndPiecesMm,
  };
}
