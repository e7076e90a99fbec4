import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { timestamptz } from './common';

/**
 * Every Stripe event we accepted, keyed by its id, so a redelivery is a no-op. Also the outbox
 * of the hand-over to Temporal: a row with no `processedAt` is dispatched again by the relay.
 */
export class StripeEvent {
  declare [OptionalProps]?: 'livemode' | 'receivedAt' | 'dispatchAttempts';
  id!: string;
  type!: string;
  objectId?: string;
  livemode = false;
  payload!: Record<string, unknown>;
  receivedAt: Date = new Date();
  /** Set once the event's work has been handed to Temporal. */
  processedAt?: Date;
  /** Failed hand-overs so far, the last error, and when the relay tries again (backing off). */
  dispatchAttempts = 0;
  lastError?: string;
  nextAttemptAt?: Date;
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
    dispatchAttempts: { type: 'integer', default: 0 },
    lastError: { type: 'text', nullable: true },
    nextAttemptAt: { ...timestamptz, nullable: true },
  },
  indexes: [
    { name: 'stripe_events_unprocessed', expression: 'create index "stripe_events_unprocessed" on "stripe_events" ("received_at") where processed_at is null' },
    // The operator console (domain/operator/): refunds across brands, and one brand's paid invoices
    // by its Stripe customer or the brand id our subscription metadata carries.
    { name: 'stripe_events_charge_refunded', expression: `create index "stripe_events_charge_refunded" on "stripe_events" ("received_at") where type = 'charge.refunded'` },
    {
      name: 'stripe_events_invoice_paid_customer',
      expression: `create index "stripe_events_invoice_paid_customer" on "stripe_events" ((payload #>> '{data,object,customer}')) where type = 'invoice.paid'`,
    },
    {
      name: 'stripe_events_invoice_paid_brand',
      expression: `create index "stripe_events_invoice_paid_brand" on "stripe_events" ((payload #>> '{data,object,parent,subscription_details,metadata,customerId}')) where type = 'invoice.paid'`,
    },
  ],
});
