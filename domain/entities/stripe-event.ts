import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { timestamptz } from './common';

/** Every Stripe event we accepted, keyed by its id, so a redelivery is a no-op. */
export class StripeEvent {
  declare [OptionalProps]?: 'livemode' | 'receivedAt';
  id!: string;
  type!: string;
  objectId?: string;
  livemode = false;
  payload!: Record<string, unknown>;
  receivedAt: Date = new Date();
  processedAt?: Date;
}

export const StripeEventSchema = new EntitySchema<StripeEvent>({
  class: StripeEvent,
  tableName: 'stripe_events',
  properties: {
    id: { type: 'string', length: 255, primary: true },
    type: { type: 'string', length: 120 },
    objectId: { type: 'string', length: 255, nullable: true, index: true },
    livemode: { type: 'boolean', default: false },
    payload: { type: 'json', columnType: 'jsonb' },
    receivedAt: { ...timestamptz, defaultRaw: 'now()' },
    processedAt: { ...timestamptz, nullable: true },
  },
});
