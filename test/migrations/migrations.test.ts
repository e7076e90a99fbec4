// Migrations go up and down on a scratch database, and the entities match the schema they build.
import type { MikroORM } from '@mikro-orm/postgresql';
import { createScratchDb, type ScratchDb } from '../support/scratch-db';

let db: ScratchDb;
let orm: MikroORM;
beforeAll(async () => {
  db = await createScratchDb('varai_migrations');
  orm = db.orm;
});
afterAll(() => db.drop());

const tables = async () =>
  (await orm.em.getConnection().execute<{ table_name: string }[]>("select table_name from information_schema.tables where table_schema = 'public' and table_name <> 'mikro_orm_migrations' order by 1")).map((r) => r.table_name);

/** Every table of the design, one per line so that features adding tables merge cleanly. */
const designTables = [
  'api_keys',
  'app_beta_access',
  'app_configuration_versions',
  'app_runs',
  'app_snippet_copies',
  'apps',
  'audit_log',
  'auto_top_up_settings',
  'auto_top_ups',
  'billing_cycles',
  'billing_plans',
  'brand_frames',
  'customer_apps',
  'customer_billing',
  'customers',
  'feature_flags',
  'ledger_entries',
  'notification_deliveries',
  'notification_preferences',
  'notifications',
  'operator_alerts',
  'operator_refunds',
  'reconcile_audit_runs',
  'sign_ins',
  'stripe_events',
  'subscription_mrr_changes',
  'team_invitations',
  'token_adjustments',
  'token_grants',
  'token_pack_purchases',
  'token_packs',
  'token_usage',
  'usage_batches',
  'usage_daily',
  'usage_hourly',
  'user_phones',
  'users',
  'widget_first_calls',
];

describe('migrations', () => {
  it('create every table the design names', async () => {
    await orm.migrator.up();
    expect(await tables()).toEqual(designTables);
  });

  it('leave nothing for the entities to change (no drift between code and schema)', async () => {
    const diff = await orm.schema.getUpdateSchemaSQL({ wrap: false });
    expect(diff.trim()).toBe('');
  });

  it('go all the way down and up again', async () => {
    await orm.migrator.down({ to: 0 });
    expect(await tables()).toEqual([]);
    await orm.migrator.up();
    expect((await tables()).length).toBe(designTables.length);
  });

  it('store token amounts as bigint', async () => {
    const rows = await orm.em.getConnection().execute<{ table_name: string; column_name: string; data_type: string }[]>(
      "select table_name, column_name, data_type from information_schema.columns where table_schema = 'public' and (column_name like '%tokens' or column_name like '%cents' or column_name = 'tokens')",
    );
    expect(rows.length).toBeGreaterThanOrEqual(8);
    for (const r of rows) expect(`${r.table_name}.${r.column_name}:${r.data_type}`).toBe(`${r.table_name}.${r.column_name}:bigint`);
  });
});
