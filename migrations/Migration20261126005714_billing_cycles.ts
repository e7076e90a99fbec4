import { Migration } from '@mikro-orm/migrations';

export class Migration20261126005714_billing_cycles extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "billing_cycles" ("id" bigserial primary key, "customer_id" uuid not null, "start_at" timestamptz not null, "end_at" timestamptz not null, "plan_key" varchar(64) null, "allowance_tokens" bigint null, "expired_tokens" bigint not null, "uses" int not null, "used_tokens" bigint not null, "refunded_tokens" bigint not null, "by_app" jsonb not null, "closed_at" timestamptz not null default now(), constraint billing_cycles_window_order check (end_at > start_at), constraint billing_cycles_expired_tokens_check check (expired_tokens >= 0));`);
    this.addSql(`alter table "billing_cycles" add constraint "billing_cycles_customer_id_start_at_unique" unique ("customer_id", "start_at");`);

    this.addSql(`alter table "billing_cycles" add constraint "billing_cycles_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "customer_billing" add column "pending_plan_id" uuid null, add column "alert_thresholds" jsonb null;`);
    this.addSql(`alter table "customer_billing" add constraint "customer_billing_pending_plan_id_foreign" foreign key ("pending_plan_id") references "billing_plans" ("id") on update cascade on delete restrict;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "billing_cycles" cascade;`);

    this.addSql(`alter table "customer_billing" drop constraint "customer_billing_pending_plan_id_foreign";`);

    this.addSql(`alter table "customer_billing" drop column "pending_plan_id", drop column "alert_thresholds";`);
  }

}
