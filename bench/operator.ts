// `npm run bench:operator`: the operator console's queries at 10,000 brands. It starts the bench
// profile's PostgreSQL only, makes a scratch database in it (migrated and seeded like any stack,
// dropped at the end), loads the brands (bench/lib/operator-seed.ts), then times each query the
// operator routes run, the same functions minus HTTP, alternated so all see the same machine.
// docs/PERFORMANCE.md, "Operator console at 10,000 brands".
import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { loadConfig, type Config } from '../domain/infra/config';
import { ormOptions } from '../domain/infra/db';
import { brandDetail } from '../domain/operator/brand-detail';
import { listBrands } from '../domain/operator/brands';
import { operatorMetrics } from '../domain/operator/metrics';
import { ensureInstalled } from '../scripts/lib/install';
import { migrateAndSeed } from '../scripts/lib/prepare-database';
import { appEnv, loadProfile } from '../scripts/lib/profiles';
import { startStack } from '../scripts/lib/services';
import { percentile } from './lib/load';
import { seedOperatorBrands } from './lib/operator-seed';

const brands = Number(process.env.BENCH_OPERATOR_BRANDS ?? 10_000);
const rounds = Number(process.env.BENCH_OPERATOR_ROUNDS ?? 40);
const scratch = 'varai_operator_bench';
/** Keep the scratch database after the run, and reuse a kept one: for EXPLAIN between runs. */
const keep = process.env.BENCH_OPERATOR_KEEP === '1';
const say = (line: string) => process.stdout.write(`${line}\n`);

/** Answers the number of rows the statement returned or touched. */
async function admin(ownerUrl: string, sql: string): Promise<number> {
  // As test/support/scratch-db.ts does: the superuser creates it, owned by the app's owner role.
  const c = new Client({ connectionString: ownerUrl.replace(/\/[^/]+$/, '/postgres').replace(/\/\/[^@]+@/, '//postgres@') });
  await c.connect();
  try {
    return (await c.query(sql)).rowCount ?? 0;
  } finally {
    await c.end();
  }
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

function scratchConfig(config: Config): Config {
  const swap = (url: string) => url.replace(/\/[^/]+$/, `/${scratch}`);
  return { ...config, db: { ...config.db, url: swap(config.db.url), migrationUrl: swap(config.db.migrationUrl), readUrls: [] } };
}

async function main(): Promise<void> {
  const profile = loadProfile('bench');
  const stack = await startStack(profile, ensureInstalled(), ['postgres']);
  const base = loadConfig({ ...process.env, ...appEnv(profile) });
  const config = scratchConfig(base);
  let orm: MikroORM | undefined;
  try {
    const kept = keep && (await admin(base.db.migrationUrl, `select 1 from pg_database where datname = '${scratch}'`)) > 0;
    if (!kept) {
      await admin(base.db.migrationUrl, `drop database if exists ${scratch}`);
      await admin(base.db.migrationUrl, `create database ${scratch} owner varai`);
    }
    await migrateAndSeed(config);
    if (!kept) {
      say(`bench:operator: seeding ${brands.toLocaleString('en-US')} brands into the scratch database ${scratch}`);
      const owner = new Client({ connectionString: config.db.migrationUrl });
      await owner.connect();
      try {
        await seedOperatorBrands(owner, brands);
      } finally {
        await owner.end();
      }
    }
    orm = await MikroORM.init(ormOptions(config));
    const em = () => orm!.em.fork();
    const now = () => new Date();
    const ids = (await em().getConnection().execute<{ id: string }[]>(`select id from customers where stripe_customer_id like 'cus_bench%' order by random() limit ?`, [rounds])).map((r) => r.id);
    const searches = ['house 42', 'staff77', 'cus_bench0091', '@brand1234.', 'vision'];
    const firstPage = await listBrands(em(), { limit: 50 }, now());
    const cases: [string, (i: number) => Promise<unknown>][] = [
      ['brands_first_page', () => listBrands(em(), { limit: 50 }, now())],
      ['brands_next_page', () => listBrands(em(), { limit: 50, cursor: firstPage.nextCursor! }, now())],
      ['search', (i) => listBrands(em(), { q: i % 6 === 5 ? ids[i % ids.length]!.slice(0, 8) : searches[i % searches.length]!, limit: 50 }, now())],
      ['brand_detail', (i) => brandDetail(em(), ids[i % ids.length]!, now(), 7 * 86_400_000)],
      ['metrics', () => operatorMetrics(em(), now(), [])],
    ];
    const samples = new Map(cases.map(([name]) => [name, [] as number[]]));
    for (const [, fn] of cases) await fn(0); // warm the plans and caches once
    for (let i = 0; i < rounds; i++) for (const [name, fn] of cases) samples.get(name)!.push(await timed(() => fn(i)));
    const p = (name: string, q: number) => percentile(Float64Array.from(samples.get(name)!), q);
    for (const [name] of cases) say(`${name.padEnd(18)} p50 ${p(name, 50).toFixed(1)} ms   p99 ${p(name, 99).toFixed(1)} ms   (${rounds} runs)`);
    say(
      `operator_brands_p99_ms=${p('brands_first_page', 99).toFixed(1)} operator_brand_detail_p99_ms=${p('brand_detail', 99).toFixed(1)} ` +
        `operator_search_p99_ms=${p('search', 99).toFixed(1)} operator_metrics_p99_ms=${p('metrics', 99).toFixed(1)} brands=${brands}`,
    );
  } finally {
    await orm?.close();
    if (!keep) await admin(base.db.migrationUrl, `drop database if exists ${scratch}`).catch(() => undefined);
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
