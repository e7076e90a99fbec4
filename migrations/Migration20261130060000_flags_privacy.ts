import { Migration } from '@mikro-orm/migrations';

// Feature flags (domain/flags/), and the one documented way personal data leaves the audit log:
// the log stays append-only, except that `erase_audit_personal_data` (SECURITY DEFINER, owned
// by the migrations' owner; the app's role has no UPDATE on audit_log at all) may rewrite the
// personal fields of rows, ip and details, and nothing else: the guard compares every other
// column. DELETE and TRUNCATE stay refused. Callers: domain/privacy/erasure.ts only.
export class Migration20261130060000_flags_privacy extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "feature_flags" ("key" varchar(64) not null, "kind" text check ("kind" in ('app', 'feature')) not null, "target" varchar(64) not null, "percentage" int not null default 0, "brands" jsonb not null default '[]'::jsonb, "killed" boolean not null default false, "note" varchar(500) not null default '', "updated_at" timestamptz not null default now(), "updated_by_id" uuid null, constraint "feature_flags_pkey" primary key ("key"), constraint feature_flags_percentage_range check (percentage >= 0 and percentage <= 100));`);
    this.addSql(`alter table "feature_flags" add constraint "feature_flags_kind_target_unique" unique ("kind", "target");`);
    this.addSql(`alter table "feature_flags" add constraint "feature_flags_updated_by_id_foreign" foreign key ("updated_by_id") references "users" ("id") on update cascade on delete set null;`);

    this.addSql(`create function audit_log_guard() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' and current_setting('varai.audit_erasure', true) = 'on'
     and new.id = old.id and new.action = old.action and new.created_at = old.created_at
     and new.customer_id is not distinct from old.customer_id and new.actor_id is not distinct from old.actor_id
     and new.actor_kind is not distinct from old.actor_kind and new.actor_api_key_id is not distinct from old.actor_api_key_id
     and new.target_type is not distinct from old.target_type and new.target_id is not distinct from old.target_id
     and new.request_id is not distinct from old.request_id then
    return new;
  end if;
  raise exception '% is append-only: % refused', tg_table_name, tg_op using errcode = 'restrict_violation';
end $$;`);
    this.addSql(`drop trigger audit_log_append_only on "audit_log";`);
    this.addSql(`create trigger audit_log_append_only before update or delete on "audit_log" for each row execute function audit_log_guard();`);

    // p_user_id set: the rows the person acted in, is the target of, or is named in (by email);
    // otherwise every row of the brand, with any email address in its details. The IP goes, the
    // email and the name (as a whole JSON string) become the pseudonym.
    this.addSql(`create function erase_audit_personal_data(p_customer_id uuid, p_user_id uuid, p_email text, p_name text, p_pseudonym text) returns integer
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  changed integer;
begin
  perform set_config('varai.audit_erasure', 'on', true);
  update audit_log a set ip = null, details = (
    case when p_email is null
      then regexp_replace(replace(a.details::text, to_json(p_name)::text, to_json(p_pseudonym)::text), '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]+', 'erased@erased.invalid', 'g')
      else replace(replace(a.details::text, to_json(p_name)::text, to_json(p_pseudonym)::text), p_email, p_pseudonym || '@erased.invalid')
    end)::jsonb - 'ip'
  where (p_user_id is null and a.customer_id = p_customer_id)
     or (p_user_id is not null and (a.actor_id = p_user_id or (a.target_type = 'user' and a.target_id = p_user_id::text) or strpos(a.details::text, p_email) > 0));
  get diagnostics changed = row_count;
  perform set_config('varai.audit_erasure', 'off', true);
  return changed;
end $$;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop function if exists erase_audit_personal_data(uuid, uuid, text, text, text);`);
    this.addSql(`drop trigger if exists audit_log_append_only on "audit_log";`);
    this.addSql(`create trigger audit_log_append_only before update or delete on "audit_log" for each row execute function refuse_change();`);
    this.addSql(`drop function if exists audit_log_guard();`);
    this.addSql(`drop table if exists "feature_flags" cascade;`);
  }
}
