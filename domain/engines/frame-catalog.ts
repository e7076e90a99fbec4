// The sample frame catalog the discovery engines search: 27 models × 9 shapes = 243 frames.
// It is generated, not hand-written, from a seeded PRNG, so it is identical on every run and
// every machine; the catalog test pins a digest so an edit to this file cannot change it silently.
import type { Colour, Frame, FrameShape, Material } from './frame';
import { frameShapes } from './frame';

const seed = 0x7a4a1; // changing the seed changes every frame: treat it as data

interface ShapeSpec {
  label: string;
  lensWidthMm: readonly [min: number, max: number]; // both inclusive: real sizes per style
  materials: readonly Material[];
}

const shapeSpecs: Record<FrameShape, ShapeSpec> = {
  round: { label: 'Round', lensWidthMm: [45, 51], materials: ['acetate', 'metal', 'titanium', 'tr90'] },
  rectangle: { label: 'Rectangle', lensWidthMm: [50, 57], materials: ['acetate', 'metal', 'titanium', 'tr90'] },
  square: { label: 'Square', lensWidthMm: [48, 54], materials: ['acetate', 'tr90', 'titanium'] },
  'cat-eye': { label: 'Cat-Eye', lensWidthMm: [49, 55], materials: ['acetate', 'tr90', 'metal'] },
  aviator: { label: 'Aviator', lensWidthMm: [54, 60], materials: ['metal', 'titanium'] },
  oval: { label: 'Oval', lensWidthMm: [48, 54], materials: ['acetate', 'metal', 'titanium', 'tr90'] },
  browline: { label: 'Browline', lensWidthMm: [49, 54], materials: ['acetate', 'metal'] },
  geometric: { label: 'Geometric', lensWidthMm: [48, 54], materials: ['metal', 'titanium', 'acetate'] },
  wayfarer: { label: 'Wayfarer', lensWidthMm: [50, 55], materials: ['acetate', 'tr90'] },
};

const modelNames = [
  'Arden', 'Beacon', 'Calloway', 'Dalton', 'Ellery', 'Fenwick', 'Griffin', 'Harbor', 'Ingram',
  'Juniper', 'Kessler', 'Linden', 'Mercer', 'Norwood', 'Orwell', 'Presley', 'Quinlan', 'Rowan',
  'Sterling', 'Thatcher', 'Ulric', 'Vance', 'Whitley', 'Xavier', 'Yates', 'Zephyr', 'Ashby',
] as const;

// Metal finishes and plastic colours differ: nobody sells tortoise titanium wire.
const coloursByMaterial: Record<Material, readonly Colour[]> = {
  acetate: ['black', 'tortoise', 'clear', 'navy', 'burgundy', 'green'],
  tr90: ['black', 'clear', 'navy', 'green', 'burgundy'],
  metal: ['gold', 'silver', 'gunmetal', 'black', 'rose-gold'],
  titanium: ['silver', 'gunmetal', 'gold', 'black'],
};

const basePriceCents: Record<Material, number> = { tr90: 7_900, acetate: 12_900, metal: 13_900, titanium: 21_900 };
const templeLengthsMm = [135, 140, 145, 150] as const;

/** mulberry32: a tiny PRNG whose integer arithmetic gives the same sequence on every JS engine. */
function prng(initial: number): () => number {
  let state = initial >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function integerBetween(rand: () => number, min: number, max: number): number {
  return min + Math.floor(rand() * (max - min + 1));
}

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}

export function generateFrameCatalog(): Frame[] {
  const rand = prng(seed);
  const frames: Frame[] = [];
  modelNames.forEach((model, m) => {
    frameShapes.forEach((shape, s) => {
      const spec = shapeSpecs[shape];
      const material = pick(rand, spec.materials);
      const lensWidthMm = integerBetween(rand, spec.lensWidthMm[0], spec.lensWidthMm[1]);
      const bridgeMm = integerBetween(rand, shape === 'aviator' ? 14 : 15, shape === 'aviator' ? 18 : 21);
      // Wider lenses sit on larger heads, which need longer temples.
      const templeIndex = Math.min(3, Math.floor((lensWidthMm - 44) / 4) + (rand() < 0.3 ? 1 : 0));
      const endPieceMm = integerBetween(rand, 5, 8); // hinge overhang, each side
      frames.push({
        id: `frm-${String(m * frameShapes.length + s + 1).padStart(3, '0')}`,
        name: `${model} ${spec.label}`,
        shape,
        lensWidthMm,
        bridgeMm,
        templeMm: templeLengthsMm[templeIndex]!,
        totalWidthMm: 2 * lensWidthMm + bridgeMm + 2 * endPieceMm,
        material,
        colour: pick(rand, coloursByMaterial[material]),
        priceCents: basePriceCents[material] + integerBetween(rand, 0, 6) * 1_000,
        currency: 'usd',
      });
    });
  });
  return frames;
}

/** Frozen so no engine or caller can change the shared catalog through a returned frame. */
export const frameCatalog: readonly Frame[] = Object.freeze(generateFrameCatalog().map((f) => Object.freeze(f)));

const framesById = new Map(frameCatalog.map((f) => [f.id, f]));

export function findFrame(id: string): Frame | undefined {
  return framesById.get(id);
}
