import { Migration } from '@mikro-orm/migrations';

export class Migration20261129212000_widget_first_calls extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "widget_first_calls" ("customer_id" uuid not null, "app_id" uuid not null, "mode" text check ("mode" in ('live', 'test')) not null, "origin" text null, "api_key_id" uuid null, "first_call_at" timestamptz not null, constraint "widget_first_calls_pkey" primary key ("customer_id", "app_id"));`);

    this.addSql(`alter table "widget_first_calls" add constraint "widget_first_calls_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "widget_first_calls" add constraint "widget_first_calls_app_id_foreign" foreign key ("app_id") references "apps" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "widget_first_calls" add constraint "widget_first_calls_api_key_id_foreign" foreign key ("api_key_id") references "api_keys" ("id") on update cascade on delete set null;`);

    // Storefront uses reconciled before this table: the first live use through a publishable key,
    // origin unknown (it was never recorded).
    this.addSql(`insert into "widget_first_calls" ("customer_id", "app_id", "mode", "origin", "api_key_id", "first_call_at")
      select distinct on (u.customer_id, u.app_id) u.customer_id, u.app_id, 'live', null, u.api_key_id, u.debited_at
        from "token_usage" u join "api_keys" k on k.id = u.api_key_id and k.customer_id = u.customer_id
        join "apps" a on a.id = u.app_id
       where k.kind = 'publishable'
       order by u.customer_id, u.app_id, u.debited_at;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "widget_first_calls" cascade;`);
  }

}
