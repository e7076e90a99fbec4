import { Migration } from '@mikro-orm/migrations';

// Usage anomaly alerts (issue 14): an API key can be paused (by the anomaly watch, when its brand
// chose so) until an admin resumes it, and the brand's choice itself, off by default.

export class Migration20261130050000_usage_anomaly extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "api_keys" add column "paused_at" timestamptz null, add column "paused_reason" varchar(300) null;`);
    this.addSql(`alter table "customers" add column "pause_keys_on_anomaly" boolean not null default false;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "api_keys" drop column "paused_at", drop column "paused_reason";`);
    this.addSql(`alter table "customers" drop column "pause_keys_on_anomaly";`);
  }

}
