import { loadConfig } from '../domain/infra/config';
import { createOrm } from '../domain/infra/db';
import { seed } from './lib/seed';

async function main() {
  const config = loadConfig();
  const orm = await createOrm(config);
  try {
    const r = await seed(orm, { demo: config.env !== 'production' });
    console.log(`seeded ${r.apps} apps, ${r.plans} plans, ${r.packs} packs; ${r.usersCreated} demo users created`);
  } finally {
    await orm.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
