// Apps that take the shopper's face from the camera or a photo.
import { z } from 'zod';
import { commonSettings } from './common';

export const captureModes = ['camera', 'photo', 'both'] as const;
export const captureMeta = { title: 'Capture mode', description: 'How the shopper gives their face: the live camera, an uploaded photo, or either.' };

export const virtualTryOnSettings = z
  .object({
    ...commonSettings({ buttonText: 'Try it on' }),
    captureMode: z.enum(captureModes).default('both').meta(captureMeta),
    showFrameSize: z.boolean().default(true).meta({ title: 'Show frame size' }),
  })
  .strict();

export const contactLensTryOnSettings = z
  .object({
    ...commonSettings({ buttonText: 'Try lenses on' }),
    captureMode: z.enum(captureModes).default('both').meta(captureMeta),
    /** Side-by-side with the shopper's natural eyes, so the colour change is visible. */
    showBeforeAfter: z.boolean().default(true).meta({ title: 'Show before and after' }),
  })
  .strict();
