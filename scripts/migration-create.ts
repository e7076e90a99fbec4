// Generates a migration from the difference between the entities and the schema snapshot.
// Review the file it writes; once it lands it is never edited.
import { createOrm } from '../domain/infra/db';
import { loadConfig } from '../domain/infra/config';
import { asOwner } from './lib/migrations';

async function main() {
  const name = process.argv[2];
  // As the owner: the diff is read from (and the migrations table kept in) the owner's schema.
  const orm = await createOrm(asOwner(loadConfig()));
  try {
    const result = await orm.migrator.createMigration(undefined, false, false, name);
    console.log(result.fileName ? `wrote migrations/${result.fileName}` : 'no schema changes');
  } finally {
    await orm.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
