import { Migration } from '@mikro-orm/migrations';

// The ledger and the audit log are facts, not state: a correction is a new row. The database
// refuses UPDATE, DELETE and TRUNCATE so that no code path, ours or a console's, can rewrite them.
export class Migration20261125213700_append_only extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create function refuse_change() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only: % refused', tg_table_name, tg_op using errcode = 'restrict_violation';
end $$;`);
    for (const table of ['ledger_entries', 'audit_log']) {
      this.addSql(`create trigger ${table}_append_only before update or delete on "${table}" for each row execute function refuse_change();`);
      this.addSql(`create trigger ${table}_no_truncate before truncate on "${table}" for each statement execute function refuse_change();`);
    }
  }

  override async down(): Promise<void> {
    for (const table of ['ledger_entries', 'audit_log']) {
      this.addSql(`drop trigger if exists ${table}_no_truncate on "${table}";`);
      this.addSql(`drop trigger if exists ${table}_append_only on "${table}";`);
    }
    this.addSql(`drop function if exists refuse_change();`);
  }
}
