// Apps that take the shopper's face from the camera or a photo.
import { z } from 'zod';
import { commonSettings } from './common';

export const captureModes = ['camera', 'photo', 'both'] as const;

export const virtualTryOnSettings = z
  .object({
    ...commonSettings({ buttonText: 'Try it on' }),
    captureMode: z.enum(captureModes).default('both'),
    showFrameSize: z.boolean().default(true),
  })
  .strict();

export const contactLensTryOnSettings = z
  .object({
    ...commonSettings({ buttonText: 'Try lenses on' }),
    captureMode: z.enum(captureModes).default('camera'),
    /** Side-by-side with the shopper's natural eyes, so the colour change is visible. */
    showBeforeAfter: z.boolean().default(true),
  })
  .strict();
