import { Migration } from '@mikro-orm/migrations';

export class Migration20261130020000_money_operations extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "token_adjustments" ("id" uuid not null default gen_random_uuid(), "customer_id" uuid not null, "message_id" varchar(300) not null, "tokens" bigint not null, "reason_code" text check ("reason_code" in ('service_issue', 'sales_concession', 'billing_error', 'fraud', 'other')) not null, "note" text null, "expires_at" timestamptz null, "grant_id" uuid null, "actor_id" uuid null, "created_at" timestamptz not null default now(), constraint "token_adjustments_pkey" primary key ("id"), constraint token_adjustments_tokens_check check (tokens <> 0));`);
    this.addSql(`create index "token_adjustments_customer_id_created_at_index" on "token_adjustments" ("customer_id", "created_at");`);
    this.addSql(`alter table "token_adjustments" add constraint "token_adjustments_customer_id_message_id_unique" unique ("customer_id", "message_id");`);

    this.addSql(`create table "operator_refunds" ("id" uuid not null default gen_random_uuid(), "customer_id" uuid not null, "kind" text check ("kind" in ('pack', 'invoice')) not null, "target_id" varchar(255) not null, "stripe_refund_id" varchar(255) not null, "amount_cents" bigint not null, "currency" varchar(3) not null, "status" varchar(32) not null, "reason" text not null, "actor_id" uuid null, "created_at" timestamptz not null default now(), constraint "operator_refunds_pkey" primary key ("id"), constraint operator_refunds_amount_cents_check check (amount_cents >= 0));`);
    this.addSql(`alter table "operator_refunds" add constraint "operator_refunds_stripe_refund_id_unique" unique ("stripe_refund_id");`);
    this.addSql(`create index "operator_refunds_customer_id_created_at_index" on "operator_refunds" ("customer_id", "created_at");`);
    this.addSql(`alter table "operator_refunds" add constraint "operator_refunds_kind_target_id_unique" unique ("kind", "target_id");`);

    this.addSql(`alter table "token_adjustments" add constraint "token_adjustments_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "token_adjustments" add constraint "token_adjustments_grant_id_foreign" foreign key ("grant_id") references "token_grants" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "token_adjustments" add constraint "token_adjustments_actor_id_foreign" foreign key ("actor_id") references "users" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "operator_refunds" add constraint "operator_refunds_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "operator_refunds" add constraint "operator_refunds_actor_id_foreign" foreign key ("actor_id") references "users" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "customer_billing" add column "suspend_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "customer_billing" drop column "suspend_at";`);
    this.addSql(`drop table if exists "operator_refunds" cascade;`);
    this.addSql(`drop table if exists "token_adjustments" cascade;`);
  }

}
