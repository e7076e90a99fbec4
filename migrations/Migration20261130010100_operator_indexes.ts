import { Migration } from '@mikro-orm/migrations';

/**
 * Indexes the operator console needs at 10,000 brands (bench/operator.ts, docs/PERFORMANCE.md):
 * Stripe's refund events across brands, and one brand's paid invoices, without a scan of every
 * stored event. Partial, so the webhook's inserts of other event types pay nothing.
 */
export class Migration20261130010100_operator_indexes extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "stripe_events_charge_refunded" on "stripe_events" ("received_at") where type = 'charge.refunded';`);
    this.addSql(`create index "stripe_events_invoice_paid_customer" on "stripe_events" ((payload #>> '{data,object,customer}')) where type = 'invoice.paid';`);
    this.addSql(`create index "stripe_events_invoice_paid_brand" on "stripe_events" ((payload #>> '{data,object,parent,subscription_details,metadata,customerId}')) where type = 'invoice.paid';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "stripe_events_charge_refunded";`);
    this.addSql(`drop index if exists "stripe_events_invoice_paid_customer";`);
    this.addSql(`drop index if exists "stripe_events_invoice_paid_brand";`);
  }

}
