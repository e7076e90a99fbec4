import { Connection } from '@temporalio/client';
import type { Logger } from 'pino';
import { SessionStore } from '../domain/auth/sessions';
import type { Config } from '../domain/infra/config';
import { createOrm } from '../domain/infra/db';
import { createRedis } from '../domain/infra/redis';
import { createStripe } from '../domain/infra/stripe';
import { createTemporalClient } from '../clients/temporal-client';
import { temporalConnectionOptions } from '../clients/temporal-connection';
import type { Deps } from './deps';
import { createMetering } from './metering';

export async function buildDeps(config: Config, logger: Logger): Promise<Deps> {
  const orm = await createOrm(config);
  const redis = createRedis(config);
  const temporal = createTemporalClient(config);
  const temporalProbe = Connection.lazy({ ...temporalConnectionOptions(config), interceptors: [] });
  const sessions = new SessionStore(redis, config.session.idleMinutes * 60 * 1000);
  const metering = createMetering(config, orm, redis);
  const stripe = createStripe(config);
  return { config, orm, redis, temporal, temporalProbe, sessions, metering, stripe, logger };
}

export async function closeDeps(deps: Deps): Promise<void> {
  await deps.temporal.connection.close().catch(() => undefined);
  await deps.temporalProbe.close().catch(() => undefined);
  deps.metering.close();
  deps.redis.disconnect();
  await deps.orm.close();
}
