import { Migration } from '@mikro-orm/migrations';

// The audit log viewer shows where each change came from: the request's address (ctx.ip, which
// trusts proxy headers only in production). Rows from before stay null. The second index serves
// the viewer's keyset pages, newest first, within one brand.

export class Migration20261129222000_audit_ip extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "audit_log" add column "ip" varchar(64) null;`);
    this.addSql(`create index "audit_log_customer_id_id_index" on "audit_log" ("customer_id", "id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "audit_log_customer_id_id_index";`);
    this.addSql(`alter table "audit_log" drop column "ip";`);
  }

}
