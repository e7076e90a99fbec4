import { Migration } from '@mikro-orm/migrations';

export class Migration20261130030100_reconcile_audit_runs extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "reconcile_audit_runs" ("id" uuid not null default gen_random_uuid(), "started_at" timestamptz not null default now(), "finished_at" timestamptz null, "since" timestamptz null, "full_sweep" boolean not null, "brands" int not null default 0, "brands_failed" int not null default 0, "drift" jsonb not null default '{}'::jsonb, "drifts_found" int not null default 0, constraint "reconcile_audit_runs_pkey" primary key ("id"));`);
    this.addSql(`create index "reconcile_audit_runs_finished_at_index" on "reconcile_audit_runs" ("finished_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "reconcile_audit_runs" cascade;`);
  }

}
