import { Migration } from '@mikro-orm/migrations';

export class Migration20261129183540_audit_actor_kind extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "audit_log" add column "actor_kind" text check ("actor_kind" in ('user', 'operator', 'api_key', 'anonymous', 'system')) null, add column "actor_api_key_id" uuid null;`);
    this.addSql(`alter table "audit_log" add constraint "audit_log_actor_api_key_id_foreign" foreign key ("actor_api_key_id") references "api_keys" ("id") on update cascade on delete set null;`);
    this.addSql(`create index "audit_log_target_type_target_id_index" on "audit_log" ("target_type", "target_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "audit_log" drop constraint "audit_log_actor_api_key_id_foreign";`);

    this.addSql(`drop index "audit_log_target_type_target_id_index";`);
    this.addSql(`alter table "audit_log" drop column "actor_kind", drop column "actor_api_key_id";`);
  }

}
