// A brand ready to consume: signed up through the API, apps active, tokens granted, a key.
import type { MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import type { Config } from '../../domain/infra/config';
import { meteringChannels } from '../../domain/metering/keys';
import { grantTokens } from '../../domain/metering/grants';
import type { RedisClient } from '../../domain/infra/redis';
import { reconcileCustomer } from '../../domain/metering/reconcile-customer';
import type { TestApi } from './api-server';
import { signUp, type Session } from './http';

export interface MeteredBrand {
  customerId: string;
  admin: Session;
  apiKey: string;
}

export async function activateApps(orm: MikroORM, redis: RedisClient, customerId: string, slugs: string[], status = 'active'): Promise<void> {
  await orm.em.getConnection().execute(
    `insert into customer_apps (customer_id, app_id, status, updated_at)
     select ?, id, ?, now() from apps where slug = any(?::text[])
     on conflict (customer_id, app_id) do update set status = excluded.status, updated_at = now()`,
    [customerId, status, `{${slugs.join(',')}}`],
  );
  await redis.publish(meteringChannels.invalidate, JSON.stringify({ kind: 'activations', customerId }));
}

export async function grant(api: TestApi, customerId: string, amountTokens: number, source: 'token_pack' | 'plan_allowance' | 'adjustment' = 'token_pack', extra: { expiresAt?: Date; effectiveAt?: Date } = {}) {
  return grantTokens(api.deps.orm, api.deps.redis, {
    customerId,
    source,
    sourceRef: `test:${randomUUID()}`,
    amountTokens,
    effectiveAt: extra.effectiveAt ?? new Date(Date.now() - 60_000),
    expiresAt: extra.expiresAt,
    reason: source === 'adjustment' ? 'test grant' : undefined,
  });
}

export async function meteredBrand(api: TestApi, opts: { tokens?: number; apps?: string[]; scopes?: string[] } = {}): Promise<MeteredBrand> {
  const { session, user } = await signUp(api.url);
  const customerId = user.customerId as string;
  await activateApps(api.deps.orm, api.deps.redis, customerId, opts.apps ?? ['pd-calculator', 'virtual-try-on']);
  if (opts.tokens) await grant(api, customerId, opts.tokens);
  const created = await session.post('/api/api-keys', { name: 'storefront', appScopes: opts.scopes ?? null });
  if (created.status !== 201) throw new Error(`key creation failed: ${created.status} ${JSON.stringify(created.body)}`);
  return { customerId, admin: session, apiKey: created.body.secret };
}

export function consume(api: TestApi, apiKey: string | null, body: unknown, idempotencyKey: string | null = randomUUID(), extraHeaders: Record<string, string> = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...extraHeaders };
  if (apiKey !== null) headers.authorization = `Bearer ${apiKey}`;
  if (idempotencyKey !== null) headers['idempotency-key'] = idempotencyKey;
  return fetch(`${api.url}/v1/consume`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) }).then(async (res) => ({
    status: res.status,
    headers: res.headers,
    body: (await res.json()) as any,
  }));
}

/** Drains the customer's stream into PostgreSQL now, as the reconciler would. */
export async function reconcileNow(api: TestApi, customerId: string, config: Pick<Config, 'metering'> = api.deps.config) {
  let total = 0;
  for (;;) {
    const r = await reconcileCustomer(api.deps.orm, api.deps.redis, customerId, { batchSize: config.metering.batchSize, wait: true });
    total += r.inserted.length;
    if (r.read.length === 0) return total;
  }
}

/**
 * Entries of a kind and their sum. `usage` entries are written per batch, app and grant and say
 * how many uses they sum, so `count` counts one per use and grant burnt, as when each use had its
 * own entries; every other kind has one entry per operation and grant.
 */
export async function ledgerRows(orm: MikroORM, customerId: string, kind = 'usage'): Promise<{ count: number; sum: number }> {
  const [row] = await orm.em.getConnection().execute<{ count: string; sum: string | null }[]>(
    'select coalesce(sum(coalesce(uses, 1)), 0) as count, sum(amount_tokens) as sum from ledger_entries where customer_id = ? and kind = ?',
    [customerId, kind],
  );
  return { count: Number(row!.count), sum: Number(row!.sum ?? 0) };
}
