import { Migration } from '@mikro-orm/migrations';

export class Migration20261130030000_operator_alerts extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "operator_alerts" ("id" uuid not null default gen_random_uuid(), "kind" varchar(64) not null, "dedupe_key" varchar(300) not null, "customer_id" uuid null, "subject" varchar(300) not null, "text" text not null, "details" jsonb not null default '{}'::jsonb, "created_at" timestamptz not null default now(), "acknowledged_at" timestamptz null, "acknowledged_by_id" uuid null, "emailed_at" timestamptz null, constraint "operator_alerts_pkey" primary key ("id"));`);
    this.addSql(`alter table "operator_alerts" add constraint "operator_alerts_dedupe_key_unique" unique ("dedupe_key");`);
    this.addSql(`create index "operator_alerts_customer_id_index" on "operator_alerts" ("customer_id");`);
    this.addSql(`create index "operator_alerts_created_at_index" on "operator_alerts" ("created_at");`);

    this.addSql(`alter table "operator_alerts" add constraint "operator_alerts_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "operator_alerts" add constraint "operator_alerts_acknowledged_by_id_foreign" foreign key ("acknowledged_by_id") references "users" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "operator_alerts" cascade;`);
  }

}
