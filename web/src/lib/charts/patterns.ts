// How chart series tell apart without colour: each app's bars get a colour AND a pattern (solid,
// stripes, dots, cross-hatch…), drawn the same in the chart and in its legend, so a reader who
// cannot tell the colours apart still can tell the series. Colours are from a palette that stays
// apart for the common colour-vision deficiencies (Okabe–Ito), darkened for contrast on white.

export const seriesColours = ['#3730a3', '#b45309', '#0f766e', '#be185d', '#1d4ed8', '#4d7c0f', '#7c2d12', '#475569'];

type Painter = (c: CanvasRenderingContext2D, size: number) => void;

const line = (c: CanvasRenderingContext2D, x1: number, y1: number, x2: number, y2: number) => {
  c.beginPath();
  c.moveTo(x1, y1);
  c.lineTo(x2, y2);
  c.stroke();
};

/** What each pattern adds in white over the series' colour; the first is plain. */
const painters: { name: string; paint: Painter }[] = [
  { name: 'solid', paint: () => {} },
  { name: 'diagonal stripes', paint: (c, s) => { line(c, 0, s, s, 0); line(c, -s / 2, s / 2, s / 2, -s / 2); line(c, s / 2, s * 1.5, s * 1.5, s / 2); } },
  { name: 'dots', paint: (c, s) => { c.beginPath(); c.arc(s / 2, s / 2, s / 5, 0, Math.PI * 2); c.fill(); } },
  { name: 'horizontal lines', paint: (c, s) => line(c, 0, s / 2, s, s / 2) },
  { name: 'cross-hatch', paint: (c, s) => { line(c, 0, 0, s, s); line(c, 0, s, s, 0); } },
  { name: 'vertical lines', paint: (c, s) => line(c, s / 2, 0, s / 2, s) },
  { name: 'checks', paint: (c, s) => { c.fillRect(0, 0, s / 2, s / 2); c.fillRect(s / 2, s / 2, s / 2, s / 2); } },
  { name: 'reverse stripes', paint: (c, s) => { line(c, 0, 0, s, s); line(c, -s / 2, s / 2, s / 2, s * 1.5); line(c, s / 2, -s / 2, s * 1.5, s / 2); } },
];

export const patternName = (i: number) => painters[i % painters.length]!.name;
export const seriesColour = (i: number) => seriesColours[i % seriesColours.length]!;

/** One tile of series i's fill, on a canvas of its own (the legend swatch uses it as it is). */
export function paintTile(canvas: HTMLCanvasElement, i: number, size = 8): void {
  canvas.width = size;
  canvas.height = size;
  const c = canvas.getContext('2d');
  if (!c) return;
  c.fillStyle = seriesColour(i);
  c.fillRect(0, 0, size, size);
  c.strokeStyle = '#ffffff';
  c.fillStyle = '#ffffff';
  c.lineWidth = 1.5;
  painters[i % painters.length]!.paint(c, size);
}

/** Series i's fill for a chart's context: its colour with its pattern repeated. */
export function seriesFill(ctx: CanvasRenderingContext2D, i: number): CanvasPattern | string {
  const tile = document.createElement('canvas');
  paintTile(tile, i, 8 * Math.max(1, Math.round(devicePixelRatio || 1)));
  return ctx.createPattern(tile, 'repeat') ?? seriesColour(i);
}
