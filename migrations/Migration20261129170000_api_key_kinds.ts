import { Migration } from '@mikro-orm/migrations';

// Publishable and secret keys, live and test (docs/SECURITY.md). Every key that exists today is a
// `vk_` key: it becomes a legacy secret live key, which keeps working.

export class Migration20261129170000_api_key_kinds extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "api_keys" add column "kind" text check ("kind" in ('publishable', 'secret')) not null default 'secret', add column "mode" text check ("mode" in ('live', 'test')) not null default 'live', add column "legacy" boolean not null default false, add column "allowed_origins" text[] not null default '{}', add column "daily_token_cap" bigint null, add column "publishable_key" text null, add column "expires_at" timestamptz null;`);
    this.addSql(`update "api_keys" set "legacy" = true;`);
    this.addSql(`alter table "api_keys" add constraint api_keys_daily_token_cap_check check(daily_token_cap is null or daily_token_cap > 0);`);
    this.addSql(`alter table "api_keys" add constraint api_keys_origins_of_publishable check(kind = 'publishable' or cardinality(allowed_origins) = 0);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "api_keys" drop constraint api_keys_origins_of_publishable, drop constraint api_keys_daily_token_cap_check;`);
    this.addSql(`alter table "api_keys" drop column "kind", drop column "mode", drop column "legacy", drop column "allowed_origins", drop column "daily_token_cap", drop column "publishable_key", drop column "expires_at";`);
  }

}
