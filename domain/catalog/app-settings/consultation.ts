// Apps that advise on style and fit, with reasons.
import { z } from 'zod';
import { commonSettings } from './common';

export const styleConsultationSettings = z
  .object({
    ...commonSettings({ buttonText: 'Get style advice' }),
    recommendedStyles: z.number().int().min(1, 'Use 1 to 10.').max(10, 'Use 1 to 10.').default(3).meta({ title: 'Styles recommended' }),
    explainReasons: z.boolean().default(true).meta({ title: 'Explain the reasons', description: 'Say why each style suits the shopper.' }),
  })
  .strict();

export const fitConsultationSettings = z
  .object({
    ...commonSettings({ buttonText: 'Check my fit' }),
    measurementUnit: z.enum(['mm', 'in']).default('mm').meta({ title: 'Measurement unit' }),
    /** How far, in millimetres, a frame dimension may stray from the shopper's before it is flagged. */
    toleranceMm: z.number().int().min(1, 'Use 1 to 10.').max(10, 'Use 1 to 10.').default(2).meta({ title: 'Fit tolerance (mm)', description: 'How far a frame dimension may stray from the shopper\'s before it is flagged.' }),
  })
  .strict();
