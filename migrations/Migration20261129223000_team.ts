import { Migration } from '@mikro-orm/migrations';

// Team management (issue 13): invitations (only the token's hash is stored), the per-member
// sign-in history, and a disabled flag on users.

export class Migration20261129223000_team extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "team_invitations" ("id" uuid not null default gen_random_uuid(), "customer_id" uuid not null, "email" varchar(320) not null, "role" text check ("role" in ('admin', 'manager', 'viewer')) not null, "token_hash" varchar(64) not null, "invited_by_id" uuid null, "created_at" timestamptz not null default now(), "expires_at" timestamptz not null, "accepted_at" timestamptz null, constraint "team_invitations_pkey" primary key ("id"));`);
    this.addSql(`create index "team_invitations_customer_id_index" on "team_invitations" ("customer_id");`);
    this.addSql(`alter table "team_invitations" add constraint "team_invitations_token_hash_unique" unique ("token_hash");`);

    this.addSql(`create table "sign_ins" ("id" uuid not null default gen_random_uuid(), "user_id" uuid not null, "at" timestamptz not null default now(), "ip" varchar(64) not null, "user_agent" varchar(500) null, "succeeded" boolean not null, "failure_reason" varchar(40) null, constraint "sign_ins_pkey" primary key ("id"));`);
    this.addSql(`create index "sign_ins_user_at" on "sign_ins" ("user_id", "at");`);

    this.addSql(`alter table "team_invitations" add constraint "team_invitations_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "team_invitations" add constraint "team_invitations_invited_by_id_foreign" foreign key ("invited_by_id") references "users" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "sign_ins" add constraint "sign_ins_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "users" add column "disabled_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "team_invitations" cascade;`);

    this.addSql(`drop table if exists "sign_ins" cascade;`);

    this.addSql(`alter table "users" drop column "disabled_at";`);
  }

}
