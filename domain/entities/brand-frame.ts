import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { colours, frameShapes, materials, type Colour, type FrameShape, type Material } from '../engines/frame';
import { bigintNumber, timestamptz } from './common';
import { Customer } from './customer';

/**
 * One frame of a brand's own catalog, as uploaded (PUT /api/frames replaces them all at once).
 * A brand with no rows is served the sample catalog. Sizes in whole millimetres, price in cents (usd).
 */
export class BrandFrame {
  declare [OptionalProps]?: 'id' | 'uploadedAt';
  id: string = randomUUID();
  customer!: Customer;
  sku!: string;
  name!: string;
  shape!: FrameShape;
  material!: Material;
  colour!: Colour;
  priceCents!: number;
  lensWidthMm!: number;
  bridgeMm!: number;
  templeMm!: number;
  totalWidthMm!: number;
  /** The row's place in the upload, so the table reads in the brand's own order. */
  position!: number;
  uploadedAt: Date = new Date();
}

export const BrandFrameSchema = new EntitySchema<BrandFrame>({
  class: BrandFrame,
  tableName: 'brand_frames',
  uniques: [{ name: 'brand_frames_customer_sku', properties: ['customer', 'sku'] }],
  indexes: [{ name: 'brand_frames_customer_position', properties: ['customer', 'position'] }],
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    customer: { kind: 'm:1', entity: () => Customer, deleteRule: 'cascade' },
    sku: { type: 'string', length: 64 },
    name: { type: 'string', length: 120 },
    shape: { enum: true, items: () => frameShapes },
    material: { enum: true, items: () => materials },
    colour: { enum: true, items: () => colours },
    priceCents: { type: bigintNumber() },
    lensWidthMm: { type: 'smallint' },
    bridgeMm: { type: 'smallint' },
    templeMm: { type: 'smallint' },
    totalWidthMm: { type: 'smallint' },
    position: { type: 'integer' },
    uploadedAt: { ...timestamptz, defaultRaw: 'now()' },
  },
});
