// Input pieces reused across engine schemas.
import { z } from 'zod';

/** An image coordinate: any consistent unit, usually pixels. */
export const pointSchema = z.object({ x: z.number(), y: z.number() });
export type Point = z.infer<typeof pointSchema>;

/** A numeric range, start inclusive and end exclusive (the house rule for ranges). */
export function rangeSchema(value: z.ZodNumber) {
  return z
    .object({ min: value.optional(), max: value.optional() })
    .refine((r) => r.min === undefined || r.max === undefined || r.min < r.max, { message: 'min must be below max (max is exclusive)', path: ['max'] });
}
export type Range = { min?: number | undefined; max?: number | undefined };

export function inRange(value: number, range: Range | undefined): boolean {
  if (!range) return true;
  return (range.min === undefined || value >= range.min) && (range.max === undefined || value < range.max);
}

export const priceRangeSchema = rangeSchema(z.number().int().nonnegative());
export const mmRangeSchema = rangeSchema(z.number().nonnegative());
