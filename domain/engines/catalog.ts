// The frames an engine searches: the brand's own catalog when it uploaded one, else the sample.
// Engines take it as an argument, so they stay pure; the API decides which one a run gets.
import type { Frame } from './frame';
import { frameCatalog } from './frame-catalog';

export interface FrameCatalog {
  readonly source: 'brand' | 'sample';
  readonly frames: readonly Frame[];
  find(id: string): Frame | undefined;
}

export function catalogOf(frames: readonly Frame[], source: FrameCatalog['source']): FrameCatalog {
  const byId = new Map(frames.map((f) => [f.id, f]));
  return { source, frames, find: (id) => byId.get(id) };
}

export const sampleCatalog: FrameCatalog = catalogOf(frameCatalog, 'sample');

/** The engines that read a catalog: only their runs need the brand's frames loaded. */
export const catalogEngines: ReadonlySet<string> = new Set(['frame-finder', 'eyewear-recommendations', 'style-consultation', 'fit-consultation', 'virtual-try-on']);
