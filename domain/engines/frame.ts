// The vocabulary every engine shares: frame and face shapes, materials, colours, and the frame record.
import { z } from 'zod';
import type { Cents, Currency } from '../units';

export const frameShapes = ['round', 'rectangle', 'square', 'cat-eye', 'aviator', 'oval', 'browline', 'geometric', 'wayfarer'] as const;
export const materials = ['acetate', 'metal', 'titanium', 'tr90'] as const;
export const colours = ['black', 'tortoise', 'clear', 'gold', 'silver', 'gunmetal', 'navy', 'burgundy', 'green', 'rose-gold'] as const;
export const faceShapes = ['oval', 'round', 'square', 'heart', 'oblong', 'diamond'] as const;

export type FrameShape = (typeof frameShapes)[number];
export type Material = (typeof materials)[number];
export type Colour = (typeof colours)[number];
export type FaceShape = (typeof faceShapes)[number];

export const frameShapeSchema = z.enum(frameShapes);
export const materialSchema = z.enum(materials);
export const colourSchema = z.enum(colours);
export const faceShapeSchema = z.enum(faceShapes);

/** All sizes in whole millimetres, as printed on the temple arm (e.g. 52-18-140). */
export interface Frame {
  id: string;
  name: string;
  shape: FrameShape;
  lensWidthMm: number;
  bridgeMm: number;
  templeMm: number;
  totalWidthMm: number;
  material: Material;
  colour: Colour;
  priceCents: Cents;
  currency: Currency;
}
