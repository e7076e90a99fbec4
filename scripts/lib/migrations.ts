import { createOrm } from '../../domain/infra/db';
import type { Config } from '../../domain/infra/config';

export async function migrateUp(config: Pick<Config, 'db'>): Promise<string[]> {
  const orm = await createOrm(config);
  try {
    return (await orm.migrator.up()).map((m) => m.name);
  } finally {
    await orm.close();
  }
}

export async function migrateDown(config: Pick<Config, 'db'>, to?: string | 0): Promise<string[]> {
  const orm = await createOrm(config);
  try {
    return (await orm.migrator.down(to === undefined ? undefined : { to })).map((m) => m.name);
  } finally {
    await orm.close();
  }
}
