import { frameCatalog } from '../../../domain/engines/frame-catalog';
import { drawFrame, frameDrawingPath, parseFrameDrawingName } from '../../../domain/engines/frame-drawing';

describe('frame drawings', () => {
  it('draws every sample frame as an SVG whose width in mm is the frame front', () => {
    for (const f of frameCatalog) {
      const svg = drawFrame(f);
      expect(svg).toMatch(new RegExp(`^<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${f.totalWidthMm} `));
      expect(svg).not.toMatch(/NaN|undefined/);
    }
  });

  it('reads a drawing name back into the spec it was made from', () => {
    for (const f of frameCatalog.slice(0, 30)) {
      const name = frameDrawingPath(f).split('/').pop()!;
      expect(parseFrameDrawingName(name)).toEqual({ shape: f.shape, colour: f.colour, material: f.material, lensWidthMm: f.lensWidthMm, bridgeMm: f.bridgeMm, totalWidthMm: f.totalWidthMm });
    }
  });

  it.each(['round_black_acetate_48-20-140.png', 'hexagon_black_acetate_48-20-140.svg', 'round_pink_acetate_48-20-140.svg', 'round_black_acetate_99-20-140.svg', '../etc/passwd', 'round_black_acetate_48-20-9999.svg'])(
    'names no frame with %s',
    (name) => expect(parseFrameDrawingName(name)).toBeNull(),
  );
});
