// `npm run stripe:sync`: against whatever Stripe the environment names (stripe-mock by default).
import { loadConfig } from '../domain/infra/config';
import { createOrm } from '../domain/infra/db';
import { createStripe } from '../domain/infra/stripe';
import { syncStripeCatalog } from './lib/stripe-sync';

async function main() {
  const config = loadConfig();
  const orm = await createOrm(config);
  try {
    const r = await syncStripeCatalog(orm, createStripe(config));
    console.log(`stripe catalog: ${r.found.length} found (${r.found.join(', ') || 'none'}), ${r.created.length} created (${r.created.join(', ') || 'none'})`);
  } finally {
    await orm.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
