import { calculatePd, pdCalculatorInputSchema } from '../../../domain/engines/pd-calculator';
import { issuePaths } from './issue-paths';

const run = (input: unknown) => calculatePd(pdCalculatorInputSchema.parse(input));
// 85.6 mm over 428 px and 11.7 mm over 58.5 px are both 0.2 mm per pixel.
const card = { kind: 'card', widthPx: 428 } as const;
const iris = { kind: 'iris', diameterPx: 58.5 } as const;

describe('pd-calculator', () => {
  it('measures 63.0 mm from a card reference', () => {
    const out = run({ leftPupil: { x: 100, y: 200 }, rightPupil: { x: 415, y: 200 }, reference: card });
    expect(out).toMatchObject({ pdMm: 63, method: 'card', mmPerPx: 0.2, pupilDistancePx: 315 });
  });

  it('measures 64.0 mm from an iris reference', () => {
    const out = run({ leftPupil: { x: 0, y: 0 }, rightPupil: { x: 320, y: 0 }, reference: iris });
    expect(out).toMatchObject({ pdMm: 64, method: 'iris', mmPerPx: 0.2 });
  });

  it('measures along the line between the pupils when the head is tilted', () => {
    // 180 px across and 240 px down is 300 px apart.
    expect(run({ leftPupil: { x: 100, y: 100 }, rightPupil: { x: 280, y: 340 }, reference: card }).pdMm).toBe(60);
  });

  it('rounds the PD to one decimal', () => {
    // 317.4 px × 0.2 mm = 63.48 mm.
    expect(run({ leftPupil: { x: 0, y: 0 }, rightPupil: { x: 317.4, y: 0 }, reference: card }).pdMm).toBe(63.5);
  });

  it('gives the same PD whichever pupil is called left', () => {
    const a = run({ leftPupil: { x: 10, y: 20 }, rightPupil: { x: 330, y: 25 }, reference: card });
    const b = run({ leftPupil: { x: 330, y: 25 }, rightPupil: { x: 10, y: 20 }, reference: card });
    expect(a).toEqual(b);
  });

  it('accepts 50 and 80 mm as plausible, both ends inclusive', () => {
    expect(run({ leftPupil: { x: 0, y: 0 }, rightPupil: { x: 250, y: 0 }, reference: card })).toMatchObject({ pdMm: 50, plausible: true, warning: null });
    expect(run({ leftPupil: { x: 0, y: 0 }, rightPupil: { x: 400, y: 0 }, reference: card })).toMatchObject({ pdMm: 80, plausible: true, warning: null });
  });

  it('flags a PD below 50 mm with a warning', () => {
    const out = run({ leftPupil: { x: 0, y: 0 }, rightPupil: { x: 200, y: 0 }, reference: card });
    expect(out.plausible).toBe(false);
    expect(out.warning).toMatch(/PD 40 mm is outside the usual adult range of 50–80 mm/);
  });

  it('flags a PD above 80 mm with a warning', () => {
    const out = run({ leftPupil: { x: 0, y: 0 }, rightPupil: { x: 405, y: 0 }, reference: card });
    expect(out).toMatchObject({ pdMm: 81, plausible: false });
    expect(out.warning).not.toBeNull();
  });

  it('rejects a zero-width card', () => {
    expect(issuePaths(pdCalculatorInputSchema, { leftPupil: { x: 0, y: 0 }, rightPupil: { x: 300, y: 0 }, reference: { kind: 'card', widthPx: 0 } })).toEqual(['reference.widthPx']);
  });

  it('rejects a reference under 10 px, whose scale is meaningless', () => {
    expect(issuePaths(pdCalculatorInputSchema, { leftPupil: { x: 0, y: 0 }, rightPupil: { x: 3, y: 0 }, reference: { kind: 'card', widthPx: 9.9 } })).toEqual(['reference.widthPx']);
  });

  it('rejects a negative iris diameter', () => {
    expect(issuePaths(pdCalculatorInputSchema, { leftPupil: { x: 0, y: 0 }, rightPupil: { x: 300, y: 0 }, reference: { kind: 'iris', diameterPx: -5 } })).toEqual(['reference.diameterPx']);
  });

  it('rejects identical pupils with a message naming the problem', () => {
    const result = pdCalculatorInputSchema.safeParse({ leftPupil: { x: 50, y: 50 }, rightPupil: { x: 50, y: 50 }, reference: card });
    expect(result.error?.issues).toEqual([expect.objectContaining({ path: ['rightPupil'], message: 'pupils must be at least 1 px apart' })]);
  });

  it('rejects an unknown reference kind', () => {
    expect(issuePaths(pdCalculatorInputSchema, { leftPupil: { x: 0, y: 0 }, rightPupil: { x: 300, y: 0 }, reference: { kind: 'coin', diameterPx: 80 } })).toEqual(['reference.kind']);
  });

  it('rejects a card reference given an iris size', () => {
    expect(issuePaths(pdCalculatorInputSchema, { leftPupil: { x: 0, y: 0 }, rightPupil: { x: 300, y: 0 }, reference: { kind: 'card', diameterPx: 58 } })).toEqual(['reference.widthPx']);
  });

  it('rejects a non-numeric coordinate', () => {
    expect(issuePaths(pdCalculatorInputSchema, { leftPupil: { x: '0', y: 0 }, rightPupil: { x: 300, y: 0 }, reference: card })).toEqual(['leftPupil.x']);
  });
});
