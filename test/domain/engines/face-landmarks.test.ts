import faceid from '../../fixtures/landmarks/screenshot-faceid.json';
import facedetect from '../../fixtures/landmarks/screenshot-facedetect.json';
import { faceLandmarksInputSchema } from '../../../domain/engines/face-landmarks';

describe('face landmark input', () => {
  it('accepts the real output of the landmark module for one face and for four', () => {
    expect(faceLandmarksInputSchema.parse(faceid).faceCount).toBe(1);
    expect(faceLandmarksInputSchema.parse(facedetect).faceCount).toBe(4);
  });

  it('stays far under the run route limit of 16 KB', () => {
    expect(JSON.stringify(faceid).length).toBeLessThan(4_000);
  });

  it('refuses a face count above 0 without a face, naming the field', () => {
    const { face: _face, ...noFace } = faceid;
    const parsed = faceLandmarksInputSchema.safeParse(noFace);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['face']);
  });

  it('accepts a photo without a face as faceCount 0', () => {
    expect(faceLandmarksInputSchema.safeParse({ kind: 'face-landmarks', version: 1, image: { width: 640, height: 480 }, faceCount: 0 }).success).toBe(true);
  });
});
