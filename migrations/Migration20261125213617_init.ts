import { Migration } from '@mikro-orm/migrations';

export class Migration20261125213617_init extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "apps" ("id" uuid not null default gen_random_uuid(), "slug" varchar(64) not null, "name" varchar(120) not null, "description" text not null, "category" varchar(64) not null, "status" text check ("status" in ('active', 'beta', 'deprecated')) not null default 'active', "cost_tokens" bigint not null, "created_at" timestamptz not null default now(), constraint "apps_pkey" primary key ("id"), constraint apps_cost_tokens_check check (cost_tokens > 0));`);
    this.addSql(`alter table "apps" add constraint "apps_slug_unique" unique ("slug");`);

    this.addSql(`create table "billing_plans" ("id" uuid not null default gen_random_uuid(), "lookup_key" varchar(64) not null, "name" varchar(120) not null, "allowance_tokens" bigint null, "price_cents" bigint not null, "currency" varchar(3) not null default 'usd', "interval" varchar(16) not null default 'month', "stripe_price_id" varchar(255) null, constraint "billing_plans_pkey" primary key ("id"), constraint billing_plans_allowance_tokens_check check (allowance_tokens is null or allowance_tokens > 0), constraint billing_plans_price_cents_check check (price_cents >= 0));`);
    this.addSql(`alter table "billing_plans" add constraint "billing_plans_lookup_key_unique" unique ("lookup_key");`);

    this.addSql(`create table "customers" ("id" uuid not null default gen_random_uuid(), "name" varchar(200) not null, "stripe_customer_id" varchar(255) null, "created_at" timestamptz not null default now(), constraint "customers_pkey" primary key ("id"));`);
    this.addSql(`alter table "customers" add constraint "customers_stripe_customer_id_unique" unique ("stripe_customer_id");`);

    this.addSql(`create table "customer_apps" ("id" uuid not null default gen_random_uuid(), "customer_id" uuid not null, "app_id" uuid not null, "status" text check ("status" in ('inactive', 'activating', 'active', 'deactivating', 'failed')) not null default 'inactive', "configuration" jsonb not null default '{}', "failure_reason" text null, "activated_at" timestamptz null, "updated_at" timestamptz not null, constraint "customer_apps_pkey" primary key ("id"));`);
    this.addSql(`alter table "customer_apps" add constraint "customer_apps_customer_id_app_id_unique" unique ("customer_id", "app_id");`);

    this.addSql(`create table "customer_billing" ("customer_id" uuid not null, "plan_id" uuid null, "status" text check ("status" in ('active', 'past_due', 'suspended', 'canceled')) not null default 'active', "stripe_subscription_id" varchar(255) null, "cycle_start_at" timestamptz null, "cycle_end_at" timestamptz null, "cancel_at_period_end" boolean not null default false, "past_due_since" timestamptz null, "updated_at" timestamptz not null, constraint "customer_billing_pkey" primary key ("customer_id"), constraint customer_billing_cycle_order check (cycle_end_at is null or cycle_end_at > cycle_start_at));`);
    this.addSql(`alter table "customer_billing" add constraint "customer_billing_stripe_subscription_id_unique" unique ("stripe_subscription_id");`);

    this.addSql(`create table "notifications" ("id" uuid not null default gen_random_uuid(), "customer_id" uuid not null, "kind" varchar(64) not null, "channel" text check ("channel" in ('email', 'portal')) not null, "recipient" varchar(320) null, "subject" varchar(300) not null, "body" text not null, "dedupe_key" varchar(300) not null, "created_at" timestamptz not null default now(), "sent_at" timestamptz null, "read_at" timestamptz null, constraint "notifications_pkey" primary key ("id"));`);
    this.addSql(`alter table "notifications" add constraint "notifications_dedupe_key_unique" unique ("dedupe_key");`);
    this.addSql(`create index "notifications_customer_id_created_at_index" on "notifications" ("customer_id", "created_at");`);

    this.addSql(`create table "stripe_events" ("id" varchar(255) not null, "type" varchar(120) not null, "object_id" varchar(255) null, "livemode" boolean not null default false, "payload" jsonb not null, "received_at" timestamptz not null default now(), "processed_at" timestamptz null, constraint "stripe_events_pkey" primary key ("id"));`);
    this.addSql(`create index "stripe_events_object_id_index" on "stripe_events" ("object_id");`);

    this.addSql(`create table "token_grants" ("id" uuid not null default gen_random_uuid(), "customer_id" uuid not null, "source" text check ("source" in ('plan_allowance', 'token_pack', 'adjustment')) not null, "source_ref" varchar(255) not null, "amount_tokens" bigint not null, "effective_at" timestamptz not null, "expires_at" timestamptz null, "created_at" timestamptz not null default now(), constraint "token_grants_pkey" primary key ("id"), constraint token_grants_amount_tokens_check check (amount_tokens > 0), constraint token_grants_expiry_after_start check (expires_at is null or expires_at > effective_at));`);
    this.addSql(`create index "token_grants_customer_id_index" on "token_grants" ("customer_id");`);
    this.addSql(`alter table "token_grants" add constraint "token_grants_customer_id_source_source_ref_unique" unique ("customer_id", "source", "source_ref");`);

    this.addSql(`create table "token_packs" ("id" uuid not null default gen_random_uuid(), "lookup_key" varchar(64) not null, "name" varchar(120) not null, "tokens" bigint not null, "price_cents" bigint not null, "currency" varchar(3) not null default 'usd', "stripe_price_id" varchar(255) null, constraint "token_packs_pkey" primary key ("id"), constraint token_packs_tokens_check check (tokens > 0), constraint token_packs_price_cents_check check (price_cents >= 0));`);
    this.addSql(`alter table "token_packs" add constraint "token_packs_lookup_key_unique" unique ("lookup_key");`);

    this.addSql(`create table "token_pack_purchases" ("id" uuid not null default gen_random_uuid(), "customer_id" uuid not null, "pack_id" uuid not null, "status" text check ("status" in ('pending', 'paid', 'credited', 'expired', 'refunded', 'failed')) not null default 'pending', "tokens" bigint not null, "amount_cents" bigint not null, "currency" varchar(3) not null default 'usd', "stripe_checkout_session_id" varchar(255) null, "stripe_payment_intent_id" varchar(255) null, "grant_id" uuid null, "created_at" timestamptz not null default now(), "paid_at" timestamptz null, "credited_at" timestamptz null, "refunded_at" timestamptz null, constraint "token_pack_purchases_pkey" primary key ("id"), constraint token_pack_purchases_tokens_check check (tokens > 0), constraint token_pack_purchases_amount_cents_check check (amount_cents >= 0));`);
    this.addSql(`create index "token_pack_purchases_customer_id_index" on "token_pack_purchases" ("customer_id");`);
    this.addSql(`alter table "token_pack_purchases" add constraint "token_pack_purchases_stripe_checkout_session_id_unique" unique ("stripe_checkout_session_id");`);
    this.addSql(`alter table "token_pack_purchases" add constraint "token_pack_purchases_stripe_payment_intent_id_unique" unique ("stripe_payment_intent_id");`);
    this.addSql(`alter table "token_pack_purchases" add constraint "token_pack_purchases_grant_id_unique" unique ("grant_id");`);

    this.addSql(`create table "users" ("id" uuid not null default gen_random_uuid(), "email" varchar(320) not null, "name" varchar(200) not null, "password_hash" varchar(255) not null, "role" text check ("role" in ('admin', 'manager', 'viewer', 'operator')) not null, "customer_id" uuid null, "created_at" timestamptz not null default now(), "last_login_at" timestamptz null, constraint "users_pkey" primary key ("id"), constraint users_operator_has_no_customer check ((role = 'operator') = (customer_id is null)));`);
    this.addSql(`alter table "users" add constraint "users_email_unique" unique ("email");`);
    this.addSql(`create index "users_customer_id_index" on "users" ("customer_id");`);

    this.addSql(`create table "ledger_entries" ("id" bigserial primary key, "customer_id" uuid not null, "grant_id" uuid null, "kind" text check ("kind" in ('grant', 'usage', 'refund', 'expiry', 'clawback', 'adjustment')) not null, "amount_tokens" bigint not null, "operation_key" varchar(300) not null, "app_id" uuid null, "reason" text null, "actor_id" uuid null, "created_at" timestamptz not null default now(), constraint ledger_entries_amount_tokens_check check (amount_tokens <> 0), constraint ledger_entries_sign_by_kind check (((kind = ANY (ARRAY['grant'::text, 'refund'::text])) AND (amount_tokens > 0)) OR ((kind = ANY (ARRAY['usage'::text, 'expiry'::text, 'clawback'::text])) AND (amount_tokens < 0)) OR (kind = 'adjustment'::text)), constraint ledger_entries_adjustment_has_reason check (kind <> 'adjustment' or reason is not null));`);
    this.addSql(`create index "ledger_entries_grant_id_index" on "ledger_entries" ("grant_id");`);
    this.addSql(`create index "ledger_entries_customer_id_created_at_index" on "ledger_entries" ("customer_id", "created_at");`);
    this.addSql(`create unique index "ledger_entries_operation_once" on "ledger_entries" ("customer_id", "operation_key", "grant_id") nulls not distinct;`);

    this.addSql(`create table "audit_log" ("id" bigserial primary key, "customer_id" uuid null, "actor_id" uuid null, "action" varchar(120) not null, "target_type" varchar(64) null, "target_id" varchar(255) null, "details" jsonb not null default '{}', "request_id" varchar(64) null, "created_at" timestamptz not null default now());`);
    this.addSql(`create index "audit_log_customer_id_created_at_index" on "audit_log" ("customer_id", "created_at");`);

    this.addSql(`create table "api_keys" ("id" uuid not null default gen_random_uuid(), "customer_id" uuid not null, "name" varchar(120) not null, "prefix" varchar(32) not null, "key_hash" varchar(128) not null, "app_scopes" text[] null, "created_by_id" uuid null, "created_at" timestamptz not null default now(), "last_used_at" timestamptz null, "revoked_at" timestamptz null, constraint "api_keys_pkey" primary key ("id"));`);
    this.addSql(`create index "api_keys_customer_id_index" on "api_keys" ("customer_id");`);
    this.addSql(`alter table "api_keys" add constraint "api_keys_prefix_unique" unique ("prefix");`);

    this.addSql(`create table "token_usage" ("id" uuid not null default gen_random_uuid(), "customer_id" uuid not null, "app_id" uuid not null, "api_key_id" uuid null, "idempotency_key" varchar(255) not null, "request_hash" varchar(64) not null, "tokens" bigint not null, "session_id" varchar(128) null, "metadata" jsonb null, "debited_at" timestamptz not null, "created_at" timestamptz not null default now(), constraint "token_usage_pkey" primary key ("id"), constraint token_usage_tokens_check check (tokens >= 0));`);
    this.addSql(`create index "token_usage_customer_id_debited_at_index" on "token_usage" ("customer_id", "debited_at");`);
    this.addSql(`create index "token_usage_app_id_debited_at_index" on "token_usage" ("app_id", "debited_at");`);
    this.addSql(`alter table "token_usage" add constraint "token_usage_customer_id_idempotency_key_unique" unique ("customer_id", "idempotency_key");`);

    this.addSql(`alter table "customer_apps" add constraint "customer_apps_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "customer_apps" add constraint "customer_apps_app_id_foreign" foreign key ("app_id") references "apps" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "customer_billing" add constraint "customer_billing_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "customer_billing" add constraint "customer_billing_plan_id_foreign" foreign key ("plan_id") references "billing_plans" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "notifications" add constraint "notifications_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "token_grants" add constraint "token_grants_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "token_pack_purchases" add constraint "token_pack_purchases_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "token_pack_purchases" add constraint "token_pack_purchases_pack_id_foreign" foreign key ("pack_id") references "token_packs" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "token_pack_purchases" add constraint "token_pack_purchases_grant_id_foreign" foreign key ("grant_id") references "token_grants" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "users" add constraint "users_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "ledger_entries" add constraint "ledger_entries_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "ledger_entries" add constraint "ledger_entries_grant_id_foreign" foreign key ("grant_id") references "token_grants" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "ledger_entries" add constraint "ledger_entries_app_id_foreign" foreign key ("app_id") references "apps" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "ledger_entries" add constraint "ledger_entries_actor_id_foreign" foreign key ("actor_id") references "users" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "audit_log" add constraint "audit_log_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "audit_log" add constraint "audit_log_actor_id_foreign" foreign key ("actor_id") references "users" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "api_keys" add constraint "api_keys_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "api_keys" add constraint "api_keys_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "token_usage" add constraint "token_usage_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "token_usage" add constraint "token_usage_app_id_foreign" foreign key ("app_id") references "apps" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "token_usage" add constraint "token_usage_api_key_id_foreign" foreign key ("api_key_id") references "api_keys" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "customer_apps" drop constraint "customer_apps_app_id_foreign";`);

    this.addSql(`alter table "ledger_entries" drop constraint "ledger_entries_app_id_foreign";`);

    this.addSql(`alter table "token_usage" drop constraint "token_usage_app_id_foreign";`);

    this.addSql(`alter table "customer_billing" drop constraint "customer_billing_plan_id_foreign";`);

    this.addSql(`alter table "customer_apps" drop constraint "customer_apps_customer_id_foreign";`);

    this.addSql(`alter table "customer_billing" drop constraint "customer_billing_customer_id_foreign";`);

    this.addSql(`alter table "notifications" drop constraint "notifications_customer_id_foreign";`);

    this.addSql(`alter table "token_grants" drop constraint "token_grants_customer_id_foreign";`);

    this.addSql(`alter table "token_pack_purchases" drop constraint "token_pack_purchases_customer_id_foreign";`);

    this.addSql(`alter table "users" drop constraint "users_customer_id_foreign";`);

    this.addSql(`alter table "ledger_entries" drop constraint "ledger_entries_customer_id_foreign";`);

    this.addSql(`alter table "audit_log" drop constraint "audit_log_customer_id_foreign";`);

    this.addSql(`alter table "api_keys" drop constraint "api_keys_customer_id_foreign";`);

    this.addSql(`alter table "token_usage" drop constraint "token_usage_customer_id_foreign";`);

    this.addSql(`alter table "token_pack_purchases" drop constraint "token_pack_purchases_grant_id_foreign";`);

    this.addSql(`alter table "ledger_entries" drop constraint "ledger_entries_grant_id_foreign";`);

    this.addSql(`alter table "token_pack_purchases" drop constraint "token_pack_purchases_pack_id_foreign";`);

    this.addSql(`alter table "ledger_entries" drop constraint "ledger_entries_actor_id_foreign";`);

    this.addSql(`alter table "audit_log" drop constraint "audit_log_actor_id_foreign";`);

    this.addSql(`alter table "api_keys" drop constraint "api_keys_created_by_id_foreign";`);

    this.addSql(`alter table "token_usage" drop constraint "token_usage_api_key_id_foreign";`);

    this.addSql(`drop table if exists "apps" cascade;`);

    this.addSql(`drop table if exists "billing_plans" cascade;`);

    this.addSql(`drop table if exists "customers" cascade;`);

    this.addSql(`drop table if exists "customer_apps" cascade;`);

    this.addSql(`drop table if exists "customer_billing" cascade;`);

    this.addSql(`drop table if exists "notifications" cascade;`);

    this.addSql(`drop table if exists "stripe_events" cascade;`);

    this.addSql(`drop table if exists "token_grants" cascade;`);

    this.addSql(`drop table if exists "token_packs" cascade;`);

    this.addSql(`drop table if exists "token_pack_purchases" cascade;`);

    this.addSql(`drop table if exists "users" cascade;`);

    this.addSql(`drop table if exists "ledger_entries" cascade;`);

    this.addSql(`drop table if exists "audit_log" cascade;`);

    this.addSql(`drop table if exists "api_keys" cascade;`);

    this.addSql(`drop table if exists "token_usage" cascade;`);
  }

}
