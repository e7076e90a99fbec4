import { Migration } from '@mikro-orm/migrations';

export class Migration20261125233755_app_configuration extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "app_configuration_versions" ("id" uuid not null default gen_random_uuid(), "customer_id" uuid not null, "app_id" uuid not null, "version" int not null, "configuration" jsonb not null, "changed_by_id" uuid null, "reason" text null, "created_at" timestamptz not null default now(), constraint "app_configuration_versions_pkey" primary key ("id"), constraint app_configuration_versions_version_check check (version > 0));`);
    this.addSql(`alter table "app_configuration_versions" add constraint "app_configuration_versions_customer_id_app_id_version_unique" unique ("customer_id", "app_id", "version");`);

    this.addSql(`alter table "app_configuration_versions" add constraint "app_configuration_versions_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "app_configuration_versions" add constraint "app_configuration_versions_app_id_foreign" foreign key ("app_id") references "apps" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "app_configuration_versions" add constraint "app_configuration_versions_changed_by_id_foreign" foreign key ("changed_by_id") references "users" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "app_configuration_versions" cascade;`);
  }

}
