// Bench brands, built in-process the way the portal would: sign-up, apps active, a large
// token pack, one API key each. Emails carry the run id, so runs never collide.
import type { MikroORM } from '@mikro-orm/postgresql';
import { signup } from '../../domain/auth/accounts';
import { PasswordHasher } from '../../domain/auth/password';
import { meteringChannels } from '../../domain/metering/keys';
import { createApiKey } from '../../domain/metering/api-keys';
import { grantTokens } from '../../domain/metering/grants';
import { createEmptyFilter } from '../../domain/metering/idempotency-filter';
import type { RedisClient } from '../../domain/infra/redis';

export interface BenchBrand {
  customerId: string;
  apiKey: string;
}

/** Same SQL as test/support/metering.ts activateApps; bench code does not import from test/. */
async function activateApps(orm: MikroORM, redis: RedisClient, customerId: string, slugs: string[]): Promise<void> {
  await orm.em.getConnection().execute(
    `insert into customer_apps (customer_id, app_id, status, updated_at)
     select ?, id, 'active', now() from apps where slug = any(?::text[])
     on conflict (customer_id, app_id) do update set status = excluded.status, updated_at = now()`,
    [customerId, `{${slugs.join(',')}}`],
  );
  await redis.publish(meteringChannels.invalidate, JSON.stringify({ kind: 'activations', customerId }));
}

export async function createBrands(orm: MikroORM, redis: RedisClient, opts: { runId: string; count: number; tokens: number; app: string }): Promise<BenchBrand[]> {
  const brands: BenchBrand[] = [];
  for (let i = 0; i < opts.count; i += 1) {
    const em = orm.em.fork();
    const email = `bench-${opts.runId}-${i}@bench.example.test`;
    // Cheapest argon2id: bench brands' passwords guard nothing, and hashing is not what is measured.
    const user = await signup(em, new PasswordHasher({ memoryKib: 1024, passes: 1 }), { brandName: `Bench ${opts.runId} #${i}`, name: 'Bench', email, password: `bench-${opts.runId}-password` });
    const customerId = user.customer!.id;
    await activateApps(orm, redis, customerId, [opts.app]);
    await grantTokens(orm, redis, {
      customerId,
      source: 'token_pack',
      sourceRef: `bench:${opts.runId}:${i}`,
      amountTokens: opts.tokens,
      // A minute back, so the grant is effective whatever the clock skew between processes.
      effectiveAt: new Date(Date.now() - 60_000),
    });
    // The filter a reconciler pass builds for a brand with no recorded use: the consume phase
    // runs without a reconciler, and a real brand in steady state has its filter.
    await createEmptyFilter(redis, customerId);
    const { plaintext } = await createApiKey(em, { customerId, actorId: user.id, name: 'bench', kind: 'secret', mode: 'live', limit: 1_000 });
    brands.push({ customerId, apiKey: plaintext });
  }
  return brands;
}
