import { Migration } from '@mikro-orm/migrations';

export class Migration20261125235313_app_beta_access extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "app_beta_access" ("app_id" uuid not null, "customer_id" uuid not null, "granted_by_id" uuid null, "created_at" timestamptz not null default now(), constraint "app_beta_access_pkey" primary key ("app_id", "customer_id"));`);

    this.addSql(`alter table "app_beta_access" add constraint "app_beta_access_app_id_foreign" foreign key ("app_id") references "apps" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "app_beta_access" add constraint "app_beta_access_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "app_beta_access" add constraint "app_beta_access_granted_by_id_foreign" foreign key ("granted_by_id") references "users" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "app_beta_access" cascade;`);
  }

}
