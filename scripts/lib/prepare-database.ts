// A stack's database made ready for the app: migrated, then seeded (both idempotent).
import type { Config } from '../../domain/infra/config';
import { createOrm } from '../../domain/infra/db';
import { migrateUp } from './migrations';
import { seed } from './seed';

export async function migrateAndSeed(config: Config): Promise<Awaited<ReturnType<typeof seed>>> {
  await migrateUp(config);
  const orm = await createOrm(config);
  try {
    return await seed(orm);
  } finally {
    await orm.close();
  }
}
