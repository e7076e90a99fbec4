import { Migration } from '@mikro-orm/migrations';

export class Migration20261130040000_auto_top_up extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "auto_top_ups" ("purchase_id" uuid not null, "customer_id" uuid not null, "trigger_key" varchar(200) not null, "balance_tokens" bigint not null, "threshold_tokens" bigint not null, "attempts" int not null default 0, "decline_code" varchar(100) null, "created_at" timestamptz not null default now(), constraint "auto_top_ups_pkey" primary key ("purchase_id"));`);
    this.addSql(`create index "auto_top_ups_customer_created_index" on "auto_top_ups" ("customer_id", "created_at");`);
    this.addSql(`alter table "auto_top_ups" add constraint "auto_top_ups_customer_trigger_unique" unique ("customer_id", "trigger_key");`);

    this.addSql(`create table "auto_top_up_settings" ("customer_id" uuid not null, "enabled" boolean not null default false, "pack_id" uuid not null, "threshold_tokens" bigint not null, "monthly_cap" int not null, "payment_method_id" varchar(255) null, "payment_method_label" varchar(120) null, "consent_version" varchar(64) null, "consented_at" timestamptz null, "consented_by_id" uuid null, "disabled_reason" varchar(500) null, "disabled_at" timestamptz null, "updated_at" timestamptz not null default now(), constraint "auto_top_up_settings_pkey" primary key ("customer_id"), constraint auto_top_up_settings_threshold_check check (threshold_tokens > 0), constraint auto_top_up_settings_cap_check check (monthly_cap >= 1 and monthly_cap <= 20));`);

    this.addSql(`alter table "auto_top_ups" add constraint "auto_top_ups_purchase_id_foreign" foreign key ("purchase_id") references "token_pack_purchases" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "auto_top_ups" add constraint "auto_top_ups_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "auto_top_up_settings" add constraint "auto_top_up_settings_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "auto_top_up_settings" add constraint "auto_top_up_settings_pack_id_foreign" foreign key ("pack_id") references "token_packs" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "auto_top_up_settings" add constraint "auto_top_up_settings_consented_by_id_foreign" foreign key ("consented_by_id") references "users" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "auto_top_ups" cascade;`);

    this.addSql(`drop table if exists "auto_top_up_settings" cascade;`);
  }

}
