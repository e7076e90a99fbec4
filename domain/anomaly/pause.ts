// Pausing an API key on an anomaly (the brand's choice, off by default) and resuming it (an
// admin). A paused key is refused on /v1/* with 403 API_KEY_PAUSED; both changes reach every API
// process at once through the same invalidation message as a revocation (api-key-cache.ts).
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { systemActor } from '../audit/actor';
import { recordAudit, writeAudit } from '../audit/record';
import { ApiKey, Customer } from '../entities';
import { AppError } from '../errors';
import type { RedisClient } from '../infra/redis';
import { meteringChannels } from '../metering/keys';

/** The message api/metering/live-channel.ts reads as `{ kind: 'api-key', prefix }`. */
export async function publishKeyInvalidation(redis: RedisClient, prefix: string): Promise<void> {
  await redis.publish(meteringChannels.invalidate, JSON.stringify({ kind: 'api-key', prefix }));
}

export interface PausedKey {
  id: string;
  name: string;
  prefix: string;
  /** False: it was already paused, revoked, or the brand does not pause keys. */
  paused: boolean;
}

/**
 * Pauses the key if its brand chose so and it is usable and not paused yet. One statement, so two
 * reconcilers evaluating at once pause (and audit) it once.
 */
export async function pauseKeyOnAnomaly(orm: MikroORM, redis: RedisClient, customerId: string, apiKeyId: string, reason: string): Promise<PausedKey | null> {
  const em = orm.em.fork();
  const [row] = await em.getConnection().execute<{ id: string; name: string; prefix: string; paused: boolean }[]>(
    `with target as (select k.id from api_keys k join customers c on c.id = k.customer_id
                      where k.id = ? and k.customer_id = ? and c.pause_keys_on_anomaly and k.paused_at is null and k.revoked_at is null),
          paused as (update api_keys set paused_at = now(), paused_reason = ? where id in (select id from target) returning id)
     select k.id, k.name, k.prefix, exists (select 1 from paused) as paused from api_keys k where k.id = ? and k.customer_id = ?`,
    [apiKeyId, customerId, reason.slice(0, 300), apiKeyId, customerId],
  );
  if (!row) return null;
  if (row.paused) {
    await writeAudit(em, { actor: systemActor, customerId, action: 'api_key.paused', target: { type: 'api_key', id: row.id }, details: { prefix: row.prefix, reason } });
    await publishKeyInvalidation(redis, row.prefix);
  }
  return row;
}

/** Resuming a key that is not paused changes nothing and writes no audit entry. Another brand's key is not found. */
export async function resumeApiKey(em: EntityManager, customerId: string, actorId: string, id: string, requestId?: string): Promise<ApiKey> {
  const apiKey = await em.findOne(ApiKey, { id, customer: customerId });
  if (!apiKey) throw new AppError('NOT_FOUND', 'No such API key.', { field: 'params.id' });
  if (apiKey.pausedAt) {
    const pausedAt = apiKey.pausedAt.toISOString();
    apiKey.pausedAt = undefined;
    apiKey.pausedReason = undefined;
    recordAudit(em, {
      actor: { kind: 'user', userId: actorId },
      customerId,
      action: 'api_key.resumed',
      target: { type: 'api_key', id: apiKey.id },
      details: { prefix: apiKey.prefix, pausedAt },
      requestId,
    });
    await em.flush();
  }
  return apiKey;
}

export interface AnomalySettings {
  pauseKeysOnAnomaly: boolean;
}

export async function anomalySettings(em: EntityManager, customerId: string): Promise<AnomalySettings> {
  const customer = await em.findOneOrFail(Customer, customerId);
  return { pauseKeysOnAnomaly: customer.pauseKeysOnAnomaly };
}

/** Audited only when it changes. */
export async function updateAnomalySettings(em: EntityManager, customerId: string, actorId: string, next: AnomalySettings, requestId?: string): Promise<AnomalySettings> {
  const customer = await em.findOneOrFail(Customer, customerId);
  if (customer.pauseKeysOnAnomaly !== next.pauseKeysOnAnomaly) {
    customer.pauseKeysOnAnomaly = next.pauseKeysOnAnomaly;
    recordAudit(em, {
      actor: { kind: 'user', userId: actorId },
      customerId,
      action: 'anomaly_settings.updated',
      target: { type: 'customer', id: customerId },
      details: { pauseKeysOnAnomaly: next.pauseKeysOnAnomaly },
      requestId,
    });
    await em.flush();
  }
  return { pauseKeysOnAnomaly: customer.pauseKeysOnAnomaly };
}
