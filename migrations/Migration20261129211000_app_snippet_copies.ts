import { Migration } from '@mikro-orm/migrations';

export class Migration20261129211000_app_snippet_copies extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "app_snippet_copies" ("customer_id" uuid not null, "app_id" uuid not null, "copied_by_id" uuid null, "created_at" timestamptz not null default now(), constraint "app_snippet_copies_pkey" primary key ("customer_id", "app_id"));`);

    this.addSql(`alter table "app_snippet_copies" add constraint "app_snippet_copies_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "app_snippet_copies" add constraint "app_snippet_copies_app_id_foreign" foreign key ("app_id") references "apps" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "app_snippet_copies" add constraint "app_snippet_copies_copied_by_id_foreign" foreign key ("copied_by_id") references "users" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "app_snippet_copies" cascade;`);
  }

}
