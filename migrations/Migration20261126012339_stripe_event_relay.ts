import { Migration } from '@mikro-orm/migrations';

export class Migration20261126012339_stripe_event_relay extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "stripe_events" add column "dispatch_attempts" int not null default 0, add column "last_error" text null, add column "next_attempt_at" timestamptz null;`);
    this.addSql(`create index "stripe_events_unprocessed" on "stripe_events" ("received_at") where processed_at is null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "stripe_events_unprocessed";`);
    this.addSql(`alter table "stripe_events" drop column "dispatch_attempts", drop column "last_error", drop column "next_attempt_at";`);
  }

}
