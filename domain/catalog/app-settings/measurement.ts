// Apps that measure the face: proportions for the shape, pupillary distance for the lenses.
import { z } from 'zod';
import { commonSettings } from './common';
import { captureMeta, captureModes } from './try-on';

export const pdCalculatorSettings = z
  .object({
    ...commonSettings({ buttonText: 'Measure my PD' }),
    /** `card`: a card of known width in the photo gives the scale; `iris`: the iris diameter does. */
    measurementMethod: z.enum(['card', 'iris']).default('card').meta({ title: 'Measurement method', description: 'Card: a card of known width in the photo gives the scale. Iris: the iris diameter does.' }),
  })
  .strict();

export const faceShapeAnalysisSettings = z
  .object({
    ...commonSettings({ buttonText: 'Find my face shape' }),
    captureMode: z.enum(captureModes).default('both').meta(captureMeta),
    showRatios: z.boolean().default(true).meta({ title: 'Show face ratios' }),
  })
  .strict();
