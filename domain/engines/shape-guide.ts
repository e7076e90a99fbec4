// Which frame shapes suit which face shape. The rule of thumb opticians teach is contrast:
// frames should balance the face's dominant line, not repeat it. Shapes in neither list are neutral.
import type { FaceShape, FrameShape } from './frame';

export interface ShapeAdvice {
  recommended: readonly FrameShape[]; // best first
  avoided: readonly FrameShape[];
  recommendedBecause: string;
  avoidedBecause: string;
}

export const shapeGuide: Record<FaceShape, ShapeAdvice> = {
  round: {
    recommended: ['rectangle', 'square', 'geometric', 'wayfarer', 'browline'],
    avoided: ['round', 'oval'],
    recommendedBecause: 'angular lines add definition to soft, curved features and make the face look longer',
    avoidedBecause: 'curved frames repeat the roundness of the face',
  },
  square: {
    recommended: ['round', 'oval', 'cat-eye', 'aviator'],
    avoided: ['square', 'rectangle', 'geometric'],
    recommendedBecause: 'curves soften a strong jaw and broad forehead',
    avoidedBecause: 'hard corners echo an angular jaw and make it look heavier',
  },
  oval: {
    recommended: ['rectangle', 'square', 'wayfarer', 'aviator', 'geometric'],
    avoided: [],
    recommendedBecause: 'balanced proportions carry most shapes; structured frames keep the natural balance',
    avoidedBecause: 'no shape works against balanced proportions',
  },
  heart: {
    recommended: ['oval', 'round', 'aviator', 'rectangle'],
    avoided: ['cat-eye', 'browline'],
    recommendedBecause: 'bottom-heavy or light frames add width at the jaw and balance a wider forehead',
    avoidedBecause: 'top-heavy frames add more width to an already wide forehead',
  },
  oblong: {
    recommended: ['square', 'wayfarer', 'aviator', 'browline', 'round'],
    avoided: ['rectangle', 'oval'],
    recommendedBecause: 'deep lenses and a strong brow line break up the length of the face',
    avoidedBecause: 'shallow, narrow frames stretch a long face further',
  },
  diamond: {
    recommended: ['cat-eye', 'oval', 'browline', 'round'],
    avoided: ['rectangle', 'geometric'],
    recommendedBecause: 'detail at the brow line widens the forehead and softens prominent cheekbones',
    avoidedBecause: 'narrow, boxy frames draw attention to the widest point at the cheekbones',
  },
};

export type ShapeVerdict = 'recommended' | 'neutral' | 'avoided';

export function shapeVerdict(face: FaceShape, frame: FrameShape): ShapeVerdict {
  const advice = shapeGuide[face];
  if (advice.recommended.includes(frame)) return 'recommended';
  if (advice.avoided.includes(frame)) return 'avoided';
  return 'neutral';
}
