import { Connection } from '@temporalio/client';
import type { Logger } from 'pino';
import { PasswordHasher } from '../domain/auth/password';
import { SessionStore } from '../domain/auth/sessions';
import type { Config } from '../domain/infra/config';
import { createOrm } from '../domain/infra/db';
import { createRedis } from '../domain/infra/redis';
import { createStripe } from '../domain/infra/stripe';
import { createMailer } from '../domain/notify/mailer';
import { createTemporalClient } from '../clients/temporal-client';
import { temporalConnectionOptions } from '../clients/temporal-connection';
import { shutdownInOrder, type ShutdownWarn } from '../domain/infra/shutdown';
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
  const passwords = new PasswordHasher(config.passwordHash);
  const mailer = createMailer(config);
  return { config, orm, redis, temporal, temporalProbe, sessions, passwords, metering, stripe, mailer, logger };
}

/** Each connection within its own bound: one that hangs is logged and left behind. */
export async function closeDeps(deps: Deps, warn: ShutdownWarn = (details, message) => deps.logger.warn(details, message)): Promise<void> {
  await shutdownInOrder(
    [
      { name: 'temporal client', limitMs: 2_000, run: () => deps.temporal.connection.close() },
      { name: 'temporal probe', limitMs: 2_000, run: () => deps.temporalProbe.close() },
      { name: 'metering', limitMs: 1_000, run: () => deps.metering.close() },
      { name: 'mailer', limitMs: 1_000, run: () => deps.mailer.close() },
      { name: 'redis', limitMs: 1_000, run: () => deps.redis.disconnect() },
      { name: 'orm', limitMs: 3_000, run: () => deps.orm.close() },
    ],
    warn,
  );
}
