// The face points the two try-on engines read, as the widget's landmark step sends them.
import { z } from 'zod';
import { pointSchema } from './schemas';

// An iris under this many pixels across gives a scale off by over 10 % per pixel of error.
export const minIrisPx = 8;

export const tryOnEyeSchema = z.object({
  irisCentre: pointSchema,
  irisEdge: z.array(pointSchema).min(2).max(16),
  eyelid: z.array(pointSchema).min(6).max(64),
});

export const tryOnFaceSchema = z.object({
  leftEye: tryOnEyeSchema,
  rightEye: tryOnEyeSchema,
  noseBridge: pointSchema,
  faceWidthPx: z.number().positive().optional(),
});
