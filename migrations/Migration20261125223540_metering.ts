import { Migration } from '@mikro-orm/migrations';

export class Migration20261125223540_metering extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "usage_batches" ("id" bigserial primary key, "customer_id" uuid not null, "seq" int not null, "uses" int not null, "tokens" bigint not null, "totals" jsonb not null, "first_debited_at" timestamptz not null, "last_debited_at" timestamptz not null, "created_at" timestamptz not null default now(), "signaled_at" timestamptz null, constraint usage_batches_seq_check check (seq > 0));`);
    this.addSql(`create index "usage_batches_unsignaled" on "usage_batches" ("customer_id", "seq") where signaled_at is null;`);
    this.addSql(`alter table "usage_batches" add constraint "usage_batches_customer_id_seq_unique" unique ("customer_id", "seq");`);

    this.addSql(`alter table "usage_batches" add constraint "usage_batches_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "token_usage" add column "remaining_tokens" bigint null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "usage_batches" cascade;`);

    this.addSql(`alter table "token_usage" drop column "remaining_tokens";`);
  }

}
