// A simple front view of a frame, drawn from its catalog record, so virtual try-on works for the
// sample catalog and for brand frames that carry no photo. The SVG's user unit is the millimetre:
// its width is the frame's front width, and the bridge centre is the image's centre, which is
// the point frame-placement.ts places between the eyes.
import { colours, frameShapes, materials, type Colour, type Frame, type FrameShape, type Material } from './frame';

export type FrameDrawingSpec = Pick<Frame, 'shape' | 'colour' | 'material' | 'lensWidthMm' | 'bridgeMm' | 'totalWidthMm'>;

/** The sample colours as paint. Clear acetate is a pale grey at part opacity, as it looks on skin. */
export const framePaint: Record<Colour, { stroke: string; opacity: number }> = {
  black: { stroke: '#161616', opacity: 1 },
  tortoise: { stroke: '#6b3d1e', opacity: 1 },
  clear: { stroke: '#c9ced4', opacity: 0.75 },
  gold: { stroke: '#c7a23b', opacity: 1 },
  silver: { stroke: '#aeb4bb', opacity: 1 },
  gunmetal: { stroke: '#4b5057', opacity: 1 },
  navy: { stroke: '#1e2c5c', opacity: 1 },
  burgundy: { stroke: '#6e1b2c', opacity: 1 },
  green: { stroke: '#2d5e3a', opacity: 1 },
  'rose-gold': { stroke: '#c88a74', opacity: 1 },
};

// Lens height against lens width, by shape (typical catalog B/A ratios).
const heightRatio: Record<FrameShape, number> = {
  round: 0.94, oval: 0.7, rectangle: 0.6, square: 0.85, 'cat-eye': 0.72, aviator: 0.92, browline: 0.74, geometric: 0.86, wayfarer: 0.76,
};

const fmt = (n: number) => String(Math.round(n * 100) / 100);

/** One lens rim centred on (cx, cy), w × h mm; `outer` is +1 when the temple side is to the right. */
function rim(shape: FrameShape, cx: number, cy: number, w: number, h: number, outer: 1 | -1): string {
  const l = cx - w / 2, r = cx + w / 2, t = cy - h / 2, b = cy + h / 2;
  const ox = (x: number) => fmt(cx + outer * (x - cx)); // mirror x about the lens centre for the left lens
  switch (shape) {
    case 'round':
    case 'oval':
      return `<ellipse cx="${fmt(cx)}" cy="${fmt(cy)}" rx="${fmt(w / 2)}" ry="${fmt(h / 2)}"/>`;
    case 'rectangle':
    case 'square':
      return `<rect x="${fmt(l)}" y="${fmt(t)}" width="${fmt(w)}" height="${fmt(h)}" rx="${fmt(h * 0.22)}"/>`;
    case 'geometric':
      return `<polygon points="${[[l + w * 0.25, t], [r - w * 0.25, t], [r, cy], [r - w * 0.25, b], [l + w * 0.25, b], [l, cy]].map(([x, y]) => `${ox(x!)},${fmt(y!)}`).join(' ')}"/>`;
    case 'wayfarer':
      return `<path d="M${ox(l)},${fmt(t)} L${ox(r)},${fmt(t)} L${ox(r - w * 0.08)},${fmt(b - h * 0.2)} Q${ox(r - w * 0.14)},${fmt(b)} ${ox(cx)},${fmt(b)} Q${ox(l + w * 0.05)},${fmt(b)} ${ox(l + w * 0.02)},${fmt(cy)} Z"/>`;
    case 'cat-eye':
      return `<path d="M${ox(l)},${fmt(cy - h * 0.2)} Q${ox(cx)},${fmt(t)} ${ox(r + w * 0.06)},${fmt(t - h * 0.12)} Q${ox(r)},${fmt(b)} ${ox(cx)},${fmt(b)} Q${ox(l)},${fmt(b)} ${ox(l)},${fmt(cy - h * 0.2)} Z"/>`;
    case 'aviator':
      return `<path d="M${ox(l)},${fmt(t + h * 0.1)} Q${ox(cx)},${fmt(t - h * 0.05)} ${ox(r)},${fmt(t + h * 0.05)} Q${ox(r + w * 0.02)},${fmt(b - h * 0.1)} ${ox(cx + w * 0.1)},${fmt(b)} Q${ox(l)},${fmt(b)} ${ox(l)},${fmt(t + h * 0.1)} Z"/>`;
    case 'browline':
      return `<ellipse cx="${fmt(cx)}" cy="${fmt(cy)}" rx="${fmt(w / 2)}" ry="${fmt(h / 2)}"/>`;
  }
}

/** The SVG markup of one frame's front. Deterministic: the same spec gives the same bytes. */
export function drawFrame(spec: FrameDrawingSpec): string {
  const { stroke, opacity } = framePaint[spec.colour];
  const thin = spec.material === 'metal' || spec.material === 'titanium';
  const rimMm = thin ? 1.1 : 2.6;
  const w = spec.lensWidthMm;
  const h = w * heightRatio[spec.shape];
  const width = Math.max(spec.totalWidthMm, 2 * w + spec.bridgeMm + 2 * rimMm);
  const height = h * 1.3 + 2 * rimMm;
  const cx = width / 2, cy = height / 2;
  const offset = spec.bridgeMm / 2 + w / 2;
  const lenses = rim(spec.shape, cx - offset, cy, w, h, -1) + rim(spec.shape, cx + offset, cy, w, h, 1);
  // The bridge crosses the image centre, so the frame's colour is exactly between the eyes.
  const bridgeY = cy - h * 0.08;
  const bridge = `<path d="M${fmt(cx - spec.bridgeMm / 2 - rimMm / 2)},${fmt(bridgeY)} Q${fmt(cx)},${fmt(bridgeY - h * 0.1)} ${fmt(cx + spec.bridgeMm / 2 + rimMm / 2)},${fmt(bridgeY)}" fill="none" stroke-width="${fmt(rimMm * 1.2)}"/>`
    + `<rect x="${fmt(cx - rimMm)}" y="${fmt(bridgeY - h * 0.06)}" width="${fmt(rimMm * 2)}" height="${fmt(h * 0.16)}" fill="${stroke}" stroke="none"/>`;
  // End pieces out to the front width: where the temples hinge.
  const hinge = (x1: number, x2: number) => `<line x1="${fmt(x1)}" y1="${fmt(cy - h * 0.3)}" x2="${fmt(x2)}" y2="${fmt(cy - h * 0.32)}" stroke-width="${fmt(rimMm * 1.4)}"/>`;
  const ends = hinge(cx - offset - w / 2, rimMm) + hinge(cx + offset + w / 2, width - rimMm);
  const brow = spec.shape === 'browline'
    ? `<path d="M${fmt(cx - offset - w / 2)},${fmt(cy - h * 0.2)} Q${fmt(cx - offset)},${fmt(cy - h * 0.62)} ${fmt(cx - spec.bridgeMm / 2)},${fmt(cy - h * 0.25)} M${fmt(cx + spec.bridgeMm / 2)},${fmt(cy - h * 0.25)} Q${fmt(cx + offset)},${fmt(cy - h * 0.62)} ${fmt(cx + offset + w / 2)},${fmt(cy - h * 0.2)}" fill="none" stroke-width="${fmt(rimMm * 2.4)}"/>`
    : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${fmt(width)} ${fmt(height)}" width="${fmt(width * 10)}" height="${fmt(height * 10)}">`
    + `<g fill="#b4c8dc" fill-opacity="0.12" stroke="${stroke}" stroke-opacity="${opacity}" stroke-width="${fmt(rimMm)}" stroke-linejoin="round" stroke-linecap="round">`
    + lenses + bridge + ends + brow + '</g></svg>';
}

/** The drawing's address: its whole spec, so the answer never changes and caches forever, and a brand's frame needs no lookup. */
export function frameDrawingPath(spec: FrameDrawingSpec): string {
  return `/widget/frames/${spec.shape}_${spec.colour}_${spec.material}_${spec.lensWidthMm}-${spec.bridgeMm}-${spec.totalWidthMm}.svg`;
}

const pathPattern = /^([a-z-]+)_([a-z-]+)_([a-z0-9]+)_(\d{2})-(\d{2})-(\d{2,3})\.svg$/;

/** The spec back from a drawing's file name, or null when it names no drawable frame. */
export function parseFrameDrawingName(name: string): FrameDrawingSpec | null {
  const m = pathPattern.exec(name);
  if (!m) return null;
  const [, shape, colour, material, lens, bridge, total] = m;
  if (!(frameShapes as readonly string[]).includes(shape!) || !(colours as readonly string[]).includes(colour!) || !(materials as readonly string[]).includes(material!)) return null;
  const spec = { shape: shape as FrameShape, colour: colour as Colour, material: material as Material, lensWidthMm: Number(lens), bridgeMm: Number(bridge), totalWidthMm: Number(total) };
  // The upload's own bounds (domain/frames/columns.ts): nothing else is a frame.
  if (spec.lensWidthMm < 30 || spec.lensWidthMm > 70 || spec.bridgeMm < 10 || spec.bridgeMm > 30 || spec.totalWidthMm < 90 || spec.totalWidthMm > 180) return null;
  return spec;
}
