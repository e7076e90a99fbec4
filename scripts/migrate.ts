// `npm run migrate` (up to the latest) and `npm run migrate -- down` (one step back).
import { loadConfig } from '../domain/infra/config';
import { migrateDown, migrateUp } from './lib/migrations';

async function main() {
  const direction = process.argv[2] ?? 'up';
  if (direction !== 'up' && direction !== 'down') throw new Error('usage: npm run migrate -- [up|down]');
  const applied = direction === 'up' ? await migrateUp(loadConfig()) : await migrateDown(loadConfig());
  console.log(applied.length ? `${direction}: ${applied.join(', ')}` : `${direction}: nothing to do`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
