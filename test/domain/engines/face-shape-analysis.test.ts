import { analyseFaceShape, faceShapeAnalysisInputSchema } from '../../../domain/engines/face-shape-analysis';
import { issuePaths } from './issue-paths';

const run = (input: unknown) => analyseFaceShape(faceShapeAnalysisInputSchema.parse(input));

/** A frontal face centred on x = 200, from its four measurements (pixels). */
function landmarks(m: { forehead: number; cheekbone: number; jaw: number; length: number }) {
  return {
    hairline: { x: 200, y: 0 },
    chin: { x: 200, y: m.length },
    foreheadLeft: { x: 200 - m.forehead / 2, y: m.length * 0.15 },
    foreheadRight: { x: 200 + m.forehead / 2, y: m.length * 0.15 },
    cheekboneLeft: { x: 200 - m.cheekbone / 2, y: m.length * 0.4 },
    cheekboneRight: { x: 200 + m.cheekbone / 2, y: m.length * 0.4 },
    jawLeft: { x: 200 - m.jaw / 2, y: m.length * 0.75 },
    jawRight: { x: 200 + m.jaw / 2, y: m.length * 0.75 },
  };
}

describe('face-shape-analysis', () => {
  it('classifies a balanced, moderately long face as oval', () => {
    // length 196 / widest 140 = 1.4; forehead 0.929 and jaw 0.8 of the cheekbones.
    const out = run({ landmarks: landmarks({ forehead: 130, cheekbone: 140, jaw: 112, length: 196 }) });
    expect(out.faceShape).toBe('oval');
    expect(out.ratios).toEqual({ lengthToWidth: 1.4, foreheadToCheekbone: 0.929, jawToCheekbone: 0.8, jawToForehead: 0.862 });
  });

  it('classifies a short face with a softer jaw as round', () => {
    expect(run({ landmarks: landmarks({ forehead: 130, cheekbone: 140, jaw: 112, length: 168 }) }).faceShape).toBe('round');
  });

  it('classifies a short face with a jaw nearly as wide as the cheekbones as square', () => {
    // jaw 130 / cheekbones 140 = 0.929 ≥ 0.9
    expect(run({ landmarks: landmarks({ forehead: 135, cheekbone: 140, jaw: 130, length: 168 }) }).faceShape).toBe('square');
  });

  it('classifies a wide forehead over a narrow jaw as heart', () => {
    // forehead 1.0 of the cheekbones, jaw 105 / forehead 140 = 0.75 ≤ 0.8
    expect(run({ landmarks: landmarks({ forehead: 140, cheekbone: 140, jaw: 105, length: 196 }) }).faceShape).toBe('heart');
  });

  it('classifies a long face as oblong', () => {
    // length 208 / widest 130 = 1.6 ≥ 1.5
    expect(run({ landmarks: landmarks({ forehead: 125, cheekbone: 130, jaw: 110, length: 208 }) }).faceShape).toBe('oblong');
  });

  it('classifies dominant cheekbones over a narrow forehead and jaw as diamond', () => {
    expect(run({ landmarks: landmarks({ forehead: 105, cheekbone: 140, jaw: 105, length: 196 }) }).faceShape).toBe('diamond');
  });

  it('measures length against the widest width, even when that is the forehead', () => {
    // widest is the 150 forehead: 195 / 150 = 1.3
    expect(run({ landmarks: landmarks({ forehead: 150, cheekbone: 140, jaw: 105, length: 195 }) }).ratios.lengthToWidth).toBe(1.3);
  });

  it('gives full confidence far from every threshold', () => {
    // forehead and jaw are 0.6 of the cheekbones: 0.2 inside the diamond limits
    expect(run({ landmarks: landmarks({ forehead: 84, cheekbone: 140, jaw: 84, length: 196 }) }).confidence).toBe(0.95);
  });

  it('lowers confidence for a face just past a threshold', () => {
    // length ratio 1.52 passes the 1.5 oblong limit by 0.02: 0.5 + 0.45 × 0.2 = 0.59
    expect(run({ landmarks: landmarks({ forehead: 130, cheekbone: 140, jaw: 112, length: 212.8 }) })).toMatchObject({ faceShape: 'oblong', confidence: 0.59 });
  });

  it('ignores head tilt', () => {
    const upright = landmarks({ forehead: 130, cheekbone: 140, jaw: 112, length: 196 });
    // A quarter turn, (x, y) → (−y, x), keeps every distance exactly.
    const turned = Object.fromEntries(Object.entries(upright).map(([name, p]) => [name, { x: -p.y, y: p.x }]));
    expect(run({ landmarks: turned }).ratios).toEqual(run({ landmarks: upright }).ratios);
  });

  it('reports the face width in mm when given the photo scale', () => {
    const out = run({ landmarks: landmarks({ forehead: 130, cheekbone: 680, jaw: 112, length: 952 }), mmPerPx: 0.2 });
    expect(out.faceWidthMm).toBe(136);
  });

  it('reports no face width in mm without a scale', () => {
    expect(run({ landmarks: landmarks({ forehead: 130, cheekbone: 140, jaw: 112, length: 196 }) }).faceWidthMm).toBeNull();
  });

  it('explains the shape with the ratios it used', () => {
    const out = run({ landmarks: landmarks({ forehead: 125, cheekbone: 130, jaw: 110, length: 208 }) });
    expect(out.explanation).toMatch(/^Oblong: .*1\.6× the widest width/);
  });

  it('rejects a jaw whose two points coincide', () => {
    const l = landmarks({ forehead: 130, cheekbone: 140, jaw: 112, length: 196 });
    expect(issuePaths(faceShapeAnalysisInputSchema, { landmarks: { ...l, jawRight: l.jawLeft } })).toEqual(['landmarks.jawRight']);
  });

  it('rejects a face with no length', () => {
    const l = landmarks({ forehead: 130, cheekbone: 140, jaw: 112, length: 196 });
    expect(issuePaths(faceShapeAnalysisInputSchema, { landmarks: { ...l, chin: l.hairline } })).toEqual(['landmarks.chin']);
  });

  it('rejects a missing landmark', () => {
    const { hairline: _hairline, ...rest } = landmarks({ forehead: 130, cheekbone: 140, jaw: 112, length: 196 });
    expect(issuePaths(faceShapeAnalysisInputSchema, { landmarks: rest })).toEqual(['landmarks.hairline']);
  });

  it('rejects a zero scale', () => {
    expect(issuePaths(faceShapeAnalysisInputSchema, { landmarks: landmarks({ forehead: 130, cheekbone: 140, jaw: 112, length: 196 }), mmPerPx: 0 })).toEqual(['mmPerPx']);
  });
});
