import { Migration } from '@mikro-orm/migrations';

export class Migration20261130010000_subscription_mrr_changes extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "subscription_mrr_changes" ("id" bigserial primary key, "customer_id" uuid not null, "changed_at" timestamptz not null default now(), "plan_key" varchar(64) null, "status" varchar(16) null, "mrr_cents" bigint not null, constraint subscription_mrr_changes_mrr_cents_check check (mrr_cents >= 0));`);
    this.addSql(`create index "subscription_mrr_changes_customer_id_changed_at_index" on "subscription_mrr_changes" ("customer_id", "changed_at");`);

    this.addSql(`create index "customers_name_order" on "customers" (lower("name"), "id");`);

    // The MRR history the operator's revenue figures need (domain/operator/mrr-history.ts). A trigger,
    // not the billing workflow's activity, writes it: every writer of customer_billing (the read
    // model, support's repairs, tests) is recorded the same way, and no workflow code changes.
    // Only changes of the plan or the status make a row; the price is the plan's at that moment.
    this.addSql(`create function record_subscription_mrr_change() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' then
          insert into subscription_mrr_changes (customer_id, plan_key, status, mrr_cents) values (old.customer_id, null, null, 0);
          return old;
        end if;
        if tg_op = 'UPDATE' and new.plan_id is not distinct from old.plan_id and new.status is not distinct from old.status then
          return new;
        end if;
        insert into subscription_mrr_changes (customer_id, plan_key, status, mrr_cents)
          select new.customer_id, p.lookup_key, new.status,
                 case when new.status in ('active', 'past_due') then coalesce(p.price_cents, 0) else 0 end
            from (select 1) one left join billing_plans p on p.id = new.plan_id;
        return new;
      end $$;`);
    this.addSql(`create trigger customer_billing_mrr_change after insert or update or delete on customer_billing
      for each row execute function record_subscription_mrr_change();`);

    // Brands billed before this table start their history at their read model's last write.
    this.addSql(`insert into subscription_mrr_changes (customer_id, changed_at, plan_key, status, mrr_cents)
      select b.customer_id, b.updated_at, p.lookup_key, b.status,
             case when b.status in ('active', 'past_due') then coalesce(p.price_cents, 0) else 0 end
        from customer_billing b left join billing_plans p on p.id = b.plan_id;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists customer_billing_mrr_change on customer_billing;`);
    this.addSql(`drop function if exists record_subscription_mrr_change();`);
    this.addSql(`drop table if exists "subscription_mrr_changes" cascade;`);

    this.addSql(`drop index "customers_name_order";`);
  }

}
