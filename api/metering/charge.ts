// Charging one use: the debit script, with a rebuild from the ledger when Redis has no balance,
// and the refusals every paid endpoint answers the same way.
import { AppError } from '../../domain/errors';
import { debit, type DebitOutcome, type DebitRequest } from '../../domain/metering/scripts';
import type { Deps } from '../deps';
import type { ResolvedApiKey } from './api-key-cache';
import type { PricedApp } from './app-prices';

export async function debitWithRebuild(deps: Deps, request: DebitRequest): Promise<DebitOutcome> {
  const first = await debit(deps.redis, request);
  if (first.kind !== 'balance_unknown') return first;
  // Redis lost the balance (flush, restart without AOF, invalidation): rebuild it from the ledger,
  // then try once more. A debit never passes against a balance nobody knows.
  const rebuilt = await deps.metering.rebuilder.rebuild(request.customerId);
  if (rebuilt === 'timeout' || rebuilt === 'refused') return first;
  return debit(deps.redis, { ...request, nowMs: Date.now() });
}

/** The error for an outcome that debited nothing; null for a debit or a replay. */
export function refusal(outcome: DebitOutcome, costTokens: number): AppError | null {
  switch (outcome.kind) {
    case 'debited':
    case 'replayed':
      return null;
    case 'key_reused':
      return new AppError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different request body.', { field: 'header.idempotency-key' });
    case 'rate_limited':
      return new AppError('RATE_LIMITED', 'Too many uses this second for this brand. Retry shortly.', { retryAfterSeconds: 1 });
    case 'balance_unknown':
      return new AppError('BALANCE_UNAVAILABLE', 'The balance is being rebuilt from the ledger. Retry in a moment; nothing was debited.', { retryAfterSeconds: 1 });
    case 'suspended':
      return new AppError('PAYMENT_REQUIRED', 'This brand’s account is suspended for non-payment. Nothing was debited.');
    case 'insufficient':
      return new AppError('INSUFFICIENT_TOKENS', 'Not enough tokens for this use. Nothing was debited.', { remainingTokens: outcome.availableTokens, costTokens });
  }
}

/** The app a key may pay for now: known, within the key's scope, active for the brand. */
export async function payableApp(deps: Deps, key: ResolvedApiKey, slug: string, field: string): Promise<PricedApp> {
  const app = await deps.metering.apps.find(slug);
  if (!app) throw new AppError('UNKNOWN_APP', `No app is called "${slug}".`, { field });
  if (key.appScopes && !key.appScopes.includes(app.slug)) {
    throw new AppError('KEY_NOT_ALLOWED_FOR_APP', `This API key is limited to other apps than ${app.slug}.`, { allowedApps: key.appScopes });
  }
  if (!(await deps.metering.activations.isActive(key.customerId, app.id))) {
    throw new AppError('APP_NOT_ACTIVE', `${app.slug} is not active for this brand. Activate it in the portal.`);
  }
  return app;
}
