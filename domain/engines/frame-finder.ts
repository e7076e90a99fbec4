// Guided catalog search: filter, sort, then page. Every sort ends on the frame id, so equal keys
// still come out in one order and pages never overlap or skip.
import { z } from 'zod';
import type { Frame } from './frame';
import { sampleCatalog, type FrameCatalog } from './catalog';
import { frameFilterFields, matchesFrameFilter } from './frame-filter';

export const frameSorts = ['price-asc', 'price-desc', 'name', 'lens-width-asc', 'total-width-asc'] as const;
export type FrameSort = (typeof frameSorts)[number];

export const frameFinderInputSchema = z.object({
  ...frameFilterFields,
  sort: z.enum(frameSorts).default('price-asc'),
  limit: z.number().int().min(1).max(100).default(20),
  offset: z.number().int().nonnegative().default(0),
});
export type FrameFinderInput = z.infer<typeof frameFinderInputSchema>;

export interface FrameFinderOutput {
  total: number; // frames matching the filters, before paging
  offset: number;
  limit: number;
  frames: Frame[];
}

const byKey: Record<FrameSort, (a: Frame, b: Frame) => number> = {
  'price-asc': (a, b) => a.priceCents - b.priceCents,
  'price-desc': (a, b) => b.priceCents - a.priceCents,
  name: (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  'lens-width-asc': (a, b) => a.lensWidthMm - b.lensWidthMm,
  'total-width-asc': (a, b) => a.totalWidthMm - b.totalWidthMm,
};

export function compareFrames(sort: FrameSort): (a: Frame, b: Frame) => number {
  const primary = byKey[sort];
  return (a, b) => primary(a, b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export function findFrames(input: FrameFinderInput, catalog: FrameCatalog = sampleCatalog): FrameFinderOutput {
  const matched = catalog.frames.filter((f) => matchesFrameFilter(f, input)).sort(compareFrames(input.sort));
  return { total: matched.length, offset: input.offset, limit: input.limit, frames: matched.slice(input.offset, input.offset + input.limit) };
}
