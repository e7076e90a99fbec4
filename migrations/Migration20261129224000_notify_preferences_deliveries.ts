import { Migration } from '@mikro-orm/migrations';

export class Migration20261129224000_notify_preferences_deliveries extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "notification_preferences" ("user_id" uuid not null, "category" varchar(32) not null, "channel" text check ("channel" in ('email', 'sms')) not null, "enabled" boolean not null, "updated_at" timestamptz not null default now(), constraint "notification_preferences_pkey" primary key ("user_id", "category", "channel"));`);

    this.addSql(`create table "notification_deliveries" ("id" uuid not null default gen_random_uuid(), "notification_id" uuid not null, "user_id" uuid null, "channel" text check ("channel" in ('email', 'sms', 'portal')) not null, "recipient" varchar(320) null, "status" text check ("status" in ('pending', 'sent', 'failed', 'skipped')) not null, "reason" varchar(500) null, "attempts" int not null default 0, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "sent_at" timestamptz null, constraint "notification_deliveries_pkey" primary key ("id"));`);
    this.addSql(`create index "notification_deliveries_user_id_index" on "notification_deliveries" ("user_id");`);
    this.addSql(`alter table "notification_deliveries" add constraint "notification_deliveries_notification_id_channel_user_id_unique" unique ("notification_id", "channel", "user_id");`);

    this.addSql(`create table "user_phones" ("user_id" uuid not null, "phone" varchar(16) null, "verified_at" timestamptz null, "pending_phone" varchar(16) null, "code_hash" varchar(64) null, "code_expires_at" timestamptz null, "code_attempts" int not null default 0, "updated_at" timestamptz not null default now(), constraint "user_phones_pkey" primary key ("user_id"));`);

    this.addSql(`alter table "notification_preferences" add constraint "notification_preferences_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "notification_deliveries" add constraint "notification_deliveries_notification_id_foreign" foreign key ("notification_id") references "notifications" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "notification_deliveries" add constraint "notification_deliveries_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "user_phones" add constraint "user_phones_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "notification_preferences" cascade;`);

    this.addSql(`drop table if exists "notification_deliveries" cascade;`);

    this.addSql(`drop table if exists "user_phones" cascade;`);
  }

}
