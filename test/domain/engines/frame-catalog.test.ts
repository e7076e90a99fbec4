import { createHash } from 'node:crypto';
import { colours, frameShapes, materials } from '../../../domain/engines/frame';
import { findFrame, frameCatalog, generateFrameCatalog } from '../../../domain/engines/frame-catalog';

// The catalog's digest. A change here means every stored recommendation and frame id may now
// point at different frames: change it only on purpose.
const pinnedDigest = '99a929520e4c091673af40827908fd3f473ab03f39b673e39bdc16dd7afaaa16';

describe('frame catalog', () => {
  it('holds at least 200 frames', () => {
    expect(frameCatalog.length).toBeGreaterThanOrEqual(200);
  });

  it('gives every frame a unique id and a unique name', () => {
    expect(new Set(frameCatalog.map((f) => f.id)).size).toBe(frameCatalog.length);
    expect(new Set(frameCatalog.map((f) => f.name)).size).toBe(frameCatalog.length);
  });

  it('uses only known shapes, materials and colours', () => {
    for (const f of frameCatalog) {
      expect(frameShapes).toContain(f.shape);
      expect(materials).toContain(f.material);
      expect(colours).toContain(f.colour);
    }
  });

  it('covers every shape and every material', () => {
    expect(new Set(frameCatalog.map((f) => f.shape))).toEqual(new Set(frameShapes));
    expect(new Set(frameCatalog.map((f) => f.material))).toEqual(new Set(materials));
  });

  it('prices every frame in whole, positive US cents', () => {
    for (const f of frameCatalog) {
      expect(Number.isSafeInteger(f.priceCents) && f.priceCents > 0).toBe(true);
      expect(f.currency).toBe('usd');
    }
  });

  it('sizes every frame in whole millimetres within real-world ranges', () => {
    for (const f of frameCatalog) {
      expect([f.lensWidthMm, f.bridgeMm, f.templeMm, f.totalWidthMm].every(Number.isInteger)).toBe(true);
      expect(f.lensWidthMm).toBeGreaterThanOrEqual(40);
      expect(f.lensWidthMm).toBeLessThanOrEqual(62);
      expect(f.bridgeMm).toBeGreaterThanOrEqual(12);
      expect(f.bridgeMm).toBeLessThanOrEqual(24);
      expect(f.templeMm).toBeGreaterThanOrEqual(130);
      expect(f.templeMm).toBeLessThanOrEqual(155);
    }
  });

  it('makes every frame front wider than its two lenses and bridge', () => {
    for (const f of frameCatalog) expect(f.totalWidthMm).toBeGreaterThan(2 * f.lensWidthMm + f.bridgeMm);
  });

  it('generates the same catalog every time', () => {
    expect(generateFrameCatalog()).toEqual(frameCatalog);
  });

  it('matches the pinned digest', () => {
    expect(createHash('sha256').update(JSON.stringify(frameCatalog)).digest('hex')).toBe(pinnedDigest);
  });

  it('freezes frames so callers cannot change the shared catalog', () => {
    expect(Object.isFrozen(frameCatalog)).toBe(true);
    expect(frameCatalog.every((f) => Object.isFrozen(f))).toBe(true);
  });

  it('finds a frame by id', () => {
    expect(findFrame('frm-001')).toBe(frameCatalog[0]);
  });

  it('finds nothing for an unknown id', () => {
    expect(findFrame('frm-999')).toBeUndefined();
  });
});
