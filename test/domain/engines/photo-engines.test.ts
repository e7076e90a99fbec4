// The face apps run from a photo's landmarks through the same engines as typed-in measurements.
import faceid from '../../fixtures/landmarks/screenshot-faceid.json';
import facedetect from '../../fixtures/landmarks/screenshot-facedetect.json';
import { runBuiltInEngine, sampleCatalog } from '../../../domain/engines';
import { builtInEngines } from '../../../domain/engines';
import { issuePaths } from './issue-paths';

const landmarks = faceid;

describe('photo inputs of the face apps', () => {
  it('pd-calculator gives the PD, its uncertainty and the plausibility flag', () => {
    const out = runBuiltInEngine('pd-calculator', { landmarks });
    expect(out).toMatchObject({ method: 'iris', plausible: true, source: 'photo' });
    expect((out as unknown as { uncertaintyMm: number }).uncertaintyMm).toBeGreaterThan(0);
  });

  it('pd-calculator uses the card when the shopper marked one', () => {
    expect(runBuiltInEngine('pd-calculator', { landmarks, card: { widthPx: 50 } })).toMatchObject({ method: 'card', mmPerPx: 1.712 });
  });

  it('gives the same figures for the same landmarks', () => {
    expect(runBuiltInEngine('face-shape-analysis', { landmarks })).toEqual(runBuiltInEngine('face-shape-analysis', { landmarks }));
  });

  it('face-shape-analysis reports the shape and the face width in mm', () => {
    const out = runBuiltInEngine('face-shape-analysis', { landmarks }) as unknown as { faceShape: string; faceWidthMm: number };
    expect(out.faceWidthMm).toBeGreaterThan(100);
  });

  it('fit-consultation measures the shopper and checks a catalog frame', () => {
    const out = runBuiltInEngine('fit-consultation', { landmarks, frameId: sampleCatalog.frames[0]!.id }) as unknown as { overall: string; measurements: { pdMm: number } };
    expect(['fits', 'borderline', 'does-not-fit']).toContain(out.overall);
    expect(out.measurements.pdMm).toBeGreaterThan(50);
  });

  it('eyewear-recommendations and style-consultation rank the catalog for the measured face', () => {
    const rec = runBuiltInEngine('eyewear-recommendations', { landmarks, limit: 3 }) as unknown as { recommendations: unknown[]; faceShape: string };
    expect(rec.recommendations).toHaveLength(3);
    const style = runBuiltInEngine('style-consultation', { landmarks, sampleCount: 2 }) as unknown as { faceShape: string };
    expect(style.faceShape).toBe(rec.faceShape);
  });

  it('keeps the typed-in inputs working', () => {
    expect(runBuiltInEngine('pd-calculator', { leftPupil: { x: 100, y: 200 }, rightPupil: { x: 415, y: 200 }, reference: { kind: 'card', widthPx: 428 } })).toMatchObject({ pdMm: 63 });
  });

  it('names the field of the kind meant: a typed-in field, or one under landmarks', () => {
    const pd = builtInEngines['pd-calculator'].schemaFor(sampleCatalog);
    expect(issuePaths(pd, { leftPupil: { x: 1, y: 1 }, rightPupil: { x: 100, y: 1 } })).toEqual(['reference']);
    expect(issuePaths(pd, { landmarks: { ...landmarks, image: { width: 0, height: 10 } } })).toContain('landmarks.image.width');
    expect(issuePaths(pd, { landmarks: facedetect })).toEqual(['landmarks.faceCount']);
  });

  it('fit-consultation checks the frame id against the catalog the run reads', () => {
    const fit = builtInEngines['fit-consultation'].schemaFor(sampleCatalog);
    expect(issuePaths(fit, { landmarks, frameId: 'no-such-frame' })).toEqual(['frameId']);
    expect(issuePaths(fit, { landmarks })).toEqual(['frame']);
  });
});
