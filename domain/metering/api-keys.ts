// Creating and revoking API keys. The plaintext leaves this module once, in the creation
// result; only its prefix and hash are stored.
import type { EntityManager } from '@mikro-orm/postgresql';
import { appCatalog } from '../catalog/apps';
import { recordAudit } from '../audit/record';
import { ApiKey, Customer, User } from '../entities';
import { AppError } from '../errors';
import { newApiKey } from './api-key-secret';

export interface CreateApiKey {
  customerId: string;
  actorId: string;
  name: string;
  /** Null or absent: every app of the customer. */
  appScopes?: string[] | null;
  requestId?: string;
}

export async function createApiKey(em: EntityManager, input: CreateApiKey): Promise<{ apiKey: ApiKey; plaintext: string }> {
  const known = new Set(appCatalog.map((a) => a.slug));
  const unknown = (input.appScopes ?? []).filter((s) => !known.has(s));
  if (unknown.length > 0) {
    throw new AppError('VALIDATION_FAILED', 'The request body is invalid.', {
      fields: [{ path: 'body.appScopes', message: `unknown app: ${unknown.join(', ')}` }],
    });
  }
  const secret = newApiKey();
  const apiKey = em.create(ApiKey, {
    customer: em.getReference(Customer, input.customerId),
    name: input.name,
    prefix: secret.prefix,
    keyHash: secret.keyHash,
    appScopes: input.appScopes && input.appScopes.length > 0 ? [...new Set(input.appScopes)].sort() : null,
    createdBy: em.getReference(User, input.actorId),
  });
  recordAudit(em, {
    actor: { kind: 'user', userId: input.actorId },
    customerId: input.customerId,
    action: 'api_key.created',
    target: { type: 'api_key', id: apiKey.id },
    details: { name: apiKey.name, prefix: apiKey.prefix, appScopes: apiKey.appScopes },
    requestId: input.requestId,
  });
  await em.flush();
  return { apiKey, plaintext: secret.plaintext };
}

/** Revoking twice keeps the first revocation time. Another brand's key is not found. */
export async function revokeApiKey(em: EntityManager, customerId: string, actorId: string, id: string, requestId?: string): Promise<ApiKey> {
  const apiKey = await em.findOne(ApiKey, { id, customer: customerId });
  if (!apiKey) throw new AppError('NOT_FOUND', 'No such API key.', { field: 'params.id' });
  if (!apiKey.revokedAt) {
    apiKey.revokedAt = new Date();
    recordAudit(em, {
      actor: { kind: 'user', userId: actorId },
      customerId,
      action: 'api_key.revoked',
      target: { type: 'api_key', id: apiKey.id },
      details: { prefix: apiKey.prefix },
      requestId,
    });
    await em.flush();
  }
  return apiKey;
}
