// Migrations run as the owner role (config.db.migrationUrl); after an upgrade the app's role is
// granted what it may do (./app-role.ts).
import { createOrm } from '../../domain/infra/db';
import type { Config } from '../../domain/infra/config';
import { grantAppRole } from './app-role';

export const asOwner = (config: Pick<Config, 'db'>): Pick<Config, 'db'> => ({ db: { ...config.db, url: config.db.migrationUrl, readUrls: [] } });

export async function migrateUp(config: Pick<Config, 'db'>): Promise<string[]> {
  const orm = await createOrm(asOwner(config));
  try {
    const applied = (await orm.migrator.up()).map((m) => m.name);
    await grantAppRole(config.db.migrationUrl, config.db.url);
    return applied;
  } finally {
    await orm.close();
  }
}

export async function migrateDown(config: Pick<Config, 'db'>, to?: string | 0): Promise<string[]> {
  const orm = await createOrm(asOwner(config));
  try {
    return (await orm.migrator.down(to === undefined ? undefined : { to })).map((m) => m.name);
  } finally {
    await orm.close();
  }
}
