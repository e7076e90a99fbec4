// Chaos brands, made the way a brand makes itself: sign-up and an API key through the API.
// Apps are switched on in SQL (the activation workflow is not what is under test) and a
// large token grant keeps the storm from running dry.
import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { meteringChannels } from '../../../domain/metering/keys';
import { grantTokens } from '../../../domain/metering/grants';
import type { RedisClient } from '../../../domain/infra/redis';
import { AnswerLog, Client } from './http';
import type { StormBrand } from './storm';

export interface ChaosBrand extends StormBrand {
  /** The brand's admin, signed in. */
  admin: Client;
}

export async function createBrand(apiUrl: string, log: AnswerLog, orm: MikroORM, redis: RedisClient, opts: { runId: string; index: number; app: string; tokens: number }): Promise<ChaosBrand> {
  const admin = new Client(apiUrl, log);
  const email = `chaos-${opts.runId}-${opts.index}@chaos.example.test`;
  const signedUp = await admin.send('signup', 'POST', '/api/auth/signup', { brandName: `Chaos ${opts.runId} #${opts.index}`, name: 'Chaos', email, password: `chaos-${opts.runId}-password` });
  if (signedUp.status !== 201) throw new Error(`signup: ${signedUp.status} ${JSON.stringify(signedUp.body)}`);
  const customerId = signedUp.body.user.customerId as string;
  await orm.em.getConnection().execute(
    `insert into customer_apps (customer_id, app_id, status, updated_at)
     select ?, id, 'active', now() from apps where slug = ?
     on conflict (customer_id, app_id) do update set status = excluded.status, updated_at = now()`,
    [customerId, opts.app],
  );
  await redis.publish(meteringChannels.invalidate, JSON.stringify({ kind: 'activations', customerId }));
  await grantTokens(orm, redis, {
    customerId,
    source: 'adjustment',
    sourceRef: `chaos:${randomUUID()}`,
    amountTokens: opts.tokens,
    effectiveAt: new Date(Date.now() - 60_000),
    reason: 'chaos suite tokens',
  });
  const key = await admin.send('create api key', 'POST', '/api/api-keys', { name: 'chaos', appScopes: null });
  if (key.status !== 201) throw new Error(`api key: ${key.status} ${JSON.stringify(key.body)}`);
  return { customerId, apiKey: key.body.secret as string, admin };
}
