import { Migration } from '@mikro-orm/migrations';

export class Migration20261129221000_usage_hourly extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "usage_hourly" ("id" bigserial primary key, "customer_id" uuid not null, "app_id" uuid not null, "api_key_id" uuid null, "mode" text check ("mode" in ('live', 'test')) not null, "hour" timestamptz not null, "uses" bigint not null default 0, "tokens" bigint not null default 0, "refunded_uses" bigint not null default 0, "refunded_tokens" bigint not null default 0);`);
    this.addSql(`create unique index "usage_hourly_bucket" on "usage_hourly" ("customer_id", "mode", "hour", "app_id", "api_key_id") nulls not distinct;`);
    this.addSql(`alter table "usage_hourly" add constraint usage_hourly_counts_check check (uses >= 0 and tokens >= 0 and refunded_uses >= 0 and refunded_tokens >= 0);`);

    // Uses reconciled before the rollup, with the refunds of them the ledger holds (one
    // `refund:<usageId>` operation per refunded use, one entry per grant it gave back to). Hours
    // are UTC whatever the session's time zone, as the reconciler buckets them.
    this.addSql(`insert into "usage_hourly" ("customer_id", "mode", "hour", "app_id", "api_key_id", "uses", "tokens", "refunded_uses", "refunded_tokens")
      select u.customer_id, coalesce(k.mode, 'live'), date_trunc('hour', u.debited_at, 'UTC'), u.app_id, u.api_key_id,
             count(*), sum(u.tokens), count(r.op), coalesce(sum(u.tokens) filter (where r.op is not null), 0)
        from "token_usage" u
        left join "api_keys" k on k.id = u.api_key_id
        left join (select distinct customer_id, operation_key as op from "ledger_entries" where kind = 'refund' and operation_key like 'refund:%') r
               on r.customer_id = u.customer_id and r.op = 'refund:' || u.id
       group by 1, 2, 3, 4, 5;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "usage_hourly" cascade;`);
  }

}
