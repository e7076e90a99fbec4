// What the API needs from the outside world, built once in server.ts and injected, so
// tests build the same app against the same real services.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Connection, Client as TemporalClient } from '@temporalio/client';
import type { Logger } from 'pino';
import type Stripe from 'stripe';
import type { Config } from '../domain/infra/config';
import type { RedisClient } from '../domain/infra/redis';
import type { PasswordHasher } from '../domain/auth/password';
import type { SessionStore } from '../domain/auth/sessions';
import type { Mailer } from '../domain/notify/mailer';
import type { Metering } from './metering';

export interface Deps {
  config: Config;
  orm: MikroORM;
  redis: RedisClient;
  temporal: TemporalClient;
  /** Health checks only: no retry interceptor, so a probe that times out leaves nothing behind. */
  temporalProbe: Connection;
  sessions: SessionStore;
  /** argon2id at the configured cost (cheap in test profiles). */
  passwords: PasswordHasher;
  metering: Metering;
  /** Reaches stripe-mock in dev and tests (STRIPE_API_BASE). */
  stripe: Stripe;
  /** Invitations (SMTP_URL: the mail catcher in dev and tests). */
  mailer: Mailer;
  logger: Logger;
}
