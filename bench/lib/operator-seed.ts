// 10,000 brands for bench:operator, written by generate_series in PostgreSQL (not a JS loop), with
// what the operator console reads: staff, plans and their MRR history, grants and ledger entries,
// pack purchases (some refunded), activations and saved configurations, 60 days of the daily usage
// rollup, first storefront calls and Stripe's invoice events. Shapes, not realism of amounts.
import type { Client } from 'pg';

const say = (line: string) => process.stdout.write(`${line}\n`);

async function step(c: Client, what: string, sql: string, values: unknown[] = []): Promise<void> {
  const t = Date.now();
  const r = await c.query(sql, values);
  say(`  ${what}: ${(r.rowCount ?? 0).toLocaleString('en-US')} rows in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

export async function seedOperatorBrands(c: Client, brands: number): Promise<void> {
  // Brand i: created (i mod 400) days ago; plan by i mod 20 (none, starter ×10, professional ×7, enterprise ×2).
  await step(c, 'customers', `
    insert into customers (id, name, stripe_customer_id, created_at)
    select md5('brand' || g)::uuid, (array['Optic','Vision','Lens','Frame','Spectacle','Eyewear'])[1 + g % 6] || ' House ' || g,
           'cus_bench' || lpad(g::text, 6, '0'), now() - ((g % 400) || ' days')::interval - ((g % 24) || ' hours')::interval
      from generate_series(1, $1) g`, [brands]);
  await step(c, 'users (an admin and a manager each)', `
    insert into users (email, name, password_hash, role, customer_id, created_at, last_login_at)
    select 'staff' || g || '-' || r || '@brand' || g || '.example', 'Staff', 'x', (array['admin','manager'])[r], md5('brand' || g)::uuid,
           now() - ((g % 400) || ' days')::interval, now() - ((g * r % 90) || ' days')::interval
      from generate_series(1, $1) g, generate_series(1, 2) r`, [brands]);
  // The trigger records each brand's MRR at now(); moved back to a day after sign-up below.
  await step(c, 'customer_billing', `
    insert into customer_billing (customer_id, plan_id, status, cycle_start_at, cycle_end_at, past_due_since, updated_at)
    select md5('brand' || g)::uuid, p.id,
           case when g % 50 = 3 then 'past_due' when g % 40 = 7 then 'canceled' else 'active' end,
           date_trunc('month', now()), date_trunc('month', now()) + interval '1 month',
           case when g % 50 = 3 then now() - interval '2 days' end, now()
      from generate_series(1, $1) g
      join billing_plans p on p.lookup_key = case when g % 20 between 1 and 10 then 'starter' when g % 20 between 11 and 17 then 'professional' else 'enterprise' end
     where g % 20 <> 0`, [brands]);
  await step(c, 'MRR history dated from sign-up', `
    update subscription_mrr_changes m set changed_at = c.created_at + interval '1 day' from customers c where c.id = m.customer_id`);
  await step(c, 'MRR history: a Starter month before each third Professional brand', `
    insert into subscription_mrr_changes (customer_id, changed_at, plan_key, status, mrr_cents)
    select m.customer_id, m.changed_at - interval '1 hour', 'starter', 'active', 2900
      from subscription_mrr_changes m where m.plan_key = 'professional' and m.changed_at < now() - interval '40 days'`);
  await c.query(`update subscription_mrr_changes set changed_at = changed_at + interval '35 days' where plan_key = 'professional' and changed_at < now() - interval '40 days'`);
  await step(c, 'grants (an allowance each, a pack for every third brand)', `
    insert into token_grants (id, customer_id, source, source_ref, amount_tokens, effective_at, expires_at)
    select md5('grant' || g || s)::uuid, md5('brand' || g)::uuid, s, 'bench:' || g || ':' || s, case s when 'plan_allowance' then 10000 else 5000 end,
           date_trunc('month', now()), case s when 'plan_allowance' then date_trunc('month', now()) + interval '1 month' end
      from generate_series(1, $1) g, unnest(array['plan_allowance','token_pack']::text[]) s
     where s = 'plan_allowance' or g % 3 = 0`, [brands]);
  await step(c, 'ledger: the grants, and 20 usage batches a brand this month', `
    insert into ledger_entries (customer_id, grant_id, kind, amount_tokens, operation_key, uses, created_at)
    select customer_id, id, 'grant', amount_tokens, 'grant:' || id, null, effective_at from token_grants where source_ref like 'bench:%'
    union all
    select md5('brand' || g)::uuid, md5('grant' || g || 'plan_allowance')::uuid, 'usage', -(1 + b % 7), 'usage-batch:' || b, 1 + b % 7,
           date_trunc('month', now()) + ((b * 3) || ' hours')::interval
      from generate_series(1, $1) g, generate_series(1, 20) b`, [brands]);
  await step(c, 'pack purchases (every third brand, one in fifty refunded)', `
    insert into token_pack_purchases (customer_id, pack_id, status, tokens, amount_cents, paid_at, credited_at, refunded_cents, refunded_at, created_at)
    select md5('brand' || g)::uuid, k.id, case when g % 50 = 0 then 'refunded' else 'credited' end, k.tokens, k.price_cents,
           now() - ((g % 330) || ' days')::interval, now() - ((g % 330) || ' days')::interval,
           case when g % 50 = 0 then k.price_cents else 0 end, case when g % 50 = 0 then now() - ((g % 300) || ' days')::interval end,
           now() - ((g % 330) || ' days')::interval
      from generate_series(1, $1) g join token_packs k on k.lookup_key = (array['tokens_1k','tokens_5k','tokens_10k'])[1 + g % 3]
     where g % 3 = 0`, [brands]);
  await step(c, 'activations (three apps a brand)', `
    insert into customer_apps (customer_id, app_id, status, activated_at, updated_at)
    select md5('brand' || g)::uuid, a.id, case when (g + a.n) % 9 = 0 then 'inactive' else 'active' end, now() - (((g + a.n) % 300) || ' days')::interval, now()
      from generate_series(1, $1) g
      join (select id, row_number() over (order by slug) as n from apps) a on a.n in (1 + g % 10, 1 + (g + 3) % 10, 1 + (g + 6) % 10)`, [brands]);
  await step(c, 'configuration versions (half the activations)', `
    insert into app_configuration_versions (customer_id, app_id, version, configuration)
    select customer_id, app_id, 1, '{"buttonLabel": "Try"}'::jsonb from customer_apps where (hashtext(customer_id::text || app_id::text) % 2) = 0`);
  await step(c, 'usage_daily (two apps, 60 days)', `
    insert into usage_daily (customer_id, app_id, api_key_id, mode, day, uses, tokens, refunded_uses, refunded_tokens)
    select ca.customer_id, ca.app_id, null, 'live', date_trunc('day', now(), 'UTC') - (d || ' days')::interval, 1 + d % 5, 2 * (1 + d % 5), 0, 0
      from (select customer_id, app_id, row_number() over (partition by customer_id order by app_id) as n from customer_apps where status = 'active') ca,
           generate_series(0, 59) d
     where ca.n <= 2`);
  await step(c, 'widget_first_calls (seven brands in ten)', `
    insert into widget_first_calls (customer_id, app_id, mode, first_call_at)
    select distinct on (ca.customer_id) ca.customer_id, ca.app_id, 'live', c.created_at + ((1 + abs(hashtext(c.id::text)) % 200) || ' hours')::interval
      from customer_apps ca join customers c on c.id = ca.customer_id
     where abs(hashtext(c.id::text)) % 10 < 7 order by ca.customer_id, ca.app_id`);
  await step(c, 'stripe_events (an invoice.paid per paying brand)', `
    insert into stripe_events (id, type, object_id, payload, received_at, processed_at)
    select 'evt_bench_' || g, 'invoice.paid', 'in_bench_' || g,
           jsonb_build_object('id', 'evt_bench_' || g, 'created', extract(epoch from now())::bigint,
             'data', jsonb_build_object('object', jsonb_build_object('id', 'in_bench_' || g, 'object', 'invoice', 'customer', 'cus_bench' || lpad(g::text, 6, '0'), 'amount_paid', 2900))),
           now(), now()
      from generate_series(1, $1) g where g % 20 <> 0`, [brands]);
  for (const table of ['customers', 'users', 'customer_billing', 'subscription_mrr_changes', 'token_grants', 'ledger_entries', 'token_pack_purchases', 'customer_apps', 'app_configuration_versions', 'usage_daily', 'widget_first_calls', 'stripe_events']) {
    await c.query(`vacuum analyze ${table}`);
  }
}
