import { Migration } from '@mikro-orm/migrations';

// The debit pipeline's write path (docs/PERFORMANCE.md): token_usage loses its per-row foreign
// keys (the batch's ledger entries reference the same customer and app in the same transaction)
// and the (app, debited_at) index nothing reads, and keeps each use's grant split in
// `allocation`, because uses now reach the ledger as one entry per batch, app and grant, counting
// `uses`. Existing rows keep their per-use ledger entries: nothing is rewritten.

export class Migration20261129161946_debit_pipeline extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "token_usage" drop constraint "token_usage_api_key_id_foreign";`);
    this.addSql(`alter table "token_usage" drop constraint "token_usage_app_id_foreign";`);
    this.addSql(`alter table "token_usage" drop constraint "token_usage_customer_id_foreign";`);

    this.addSql(`alter table "ledger_entries" add column "uses" int null;`);
    this.addSql(`alter table "ledger_entries" add constraint ledger_entries_uses_of_usage check(uses IS NULL OR ((kind = 'usage'::text) AND (uses > 0)));`);

    this.addSql(`drop index "token_usage_app_id_debited_at_index";`);

    this.addSql(`alter table "token_usage" add column "allocation" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "ledger_entries" drop constraint ledger_entries_uses_of_usage;`);
    this.addSql(`alter table "ledger_entries" drop column "uses";`);

    this.addSql(`alter table "token_usage" drop column "allocation";`);

    this.addSql(`alter table "token_usage" add constraint "token_usage_api_key_id_foreign" foreign key ("api_key_id") references "api_keys" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "token_usage" add constraint "token_usage_app_id_foreign" foreign key ("app_id") references "apps" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "token_usage" add constraint "token_usage_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade on delete restrict;`);
    this.addSql(`create index "token_usage_app_id_debited_at_index" on "token_usage" ("app_id", "debited_at");`);
  }

}
