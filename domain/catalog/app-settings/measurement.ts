// Apps that measure the face: proportions for the shape, pupillary distance for the lenses.
import { z } from 'zod';
import { commonSettings } from './common';
import { captureMeta, captureModes } from './try-on';

export const pdCalculatorSettings = z
  .object({
    ...commonSettings({ buttonText: 'Measure my PD' }),
    /**
     * `iris`: the iris diameter gives the scale, so every shopper gets a figure at once (and may
     * measure again with a card); `card`: the shopper marks a card's edges before the run, which
     * is more exact but asks every shopper for a card first.
     */
    measurementMethod: z.enum(['card', 'iris']).default('iris').meta({ title: 'Measurement method', description: 'Card: a card of known width in the photo gives the scale. Iris: the iris diameter does.' }),
  })
  .strict();

export const faceShapeAnalysisSettings = z
  .object({
    ...commonSettings({ buttonText: 'Find my face shape' }),
    captureMode: z.enum(captureModes).default('both').meta(captureMeta),
    showRatios: z.boolean().default(true).meta({ title: 'Show face ratios' }),
  })
  .strict();
