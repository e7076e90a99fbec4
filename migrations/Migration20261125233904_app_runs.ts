import { Migration } from '@mikro-orm/migrations';

export class Migration20261125233904_app_runs extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "app_runs" ("id" uuid not null, "customer_id" uuid not null, "app_id" uuid not null, "idempotency_key" varchar(255) not null, "request_hash" varchar(64) not null, "allocation" text not null default '', "status" text check ("status" in ('running', 'succeeded', 'refunded')) not null default 'running', "result" jsonb null, "error_code" varchar(64) null, "created_at" timestamptz not null default now(), "finished_at" timestamptz null, constraint "app_runs_pkey" primary key ("id"));`);
    this.addSql(`create index "app_runs_running" on "app_runs" ("created_at") where status = 'running';`);
    this.addSql(`alter table "app_runs" add constraint "app_runs_customer_id_idempotency_key_unique" unique ("customer_id", "idempotency_key");`);

    this.addSql(`alter table "app_runs" add constraint "app_runs_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "app_runs" add constraint "app_runs_app_id_foreign" foreign key ("app_id") references "apps" ("id") on update cascade on delete restrict;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "app_runs" cascade;`);
  }

}
