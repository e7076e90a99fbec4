// Charging one use: the debit script, with a rebuild from the ledger when Redis has no balance
// and a lookup in PostgreSQL when the key may be an old one, and the refusals every paid
// endpoint answers the same way. A test key's use goes to the brand's sandbox instead, by the
// same admission checks, in one round trip as well.
import { AppError } from '../../domain/errors';
import type { Admission } from '../../domain/metering/admission';
import { outOfTokensHelp } from '../../domain/metering/out-of-tokens';
import { debit, sandboxDebit, type DebitOutcome, type DebitRequest, type LiveDebitOutcome } from '../../domain/metering/scripts';
import type { Deps } from '../deps';
import type { ResolvedApiKey } from './api-key-cache';
import { assertAppOpen } from './flag-table';
import type { PricedApp } from './app-prices';

/** One run of the debit script, with a rebuild from the ledger when Redis has no balance. */
async function debitOnce(deps: Deps, request: DebitRequest): Promise<LiveDebitOutcome> {
  const first = await debit(deps.redis, request);
  if (first.kind !== 'balance_unknown') return first;
  // Redis lost the balance (flush, restart without AOF, invalidation): rebuild it from the ledger,
  // then try once more. A debit never passes against a balance nobody knows.
  const rebuilt = await deps.metering.rebuilder.rebuild(request.customerId);
  if (rebuilt === 'timeout' || rebuilt === 'refused') return first;
  return debit(deps.redis, { ...request, nowMs: Date.now() });
}

/**
 * A live debit. Keys are honoured forever: Redis answers replays of recent keys, and when the
 * brand's idempotency filter says PostgreSQL may hold the key (or Redis has no filter), the key
 * is looked up there before anything is debited. A fresh key, nearly every request, skips that.
 */
export async function liveDebit(deps: Deps, request: DebitRequest): Promise<DebitOutcome> {
  const first = await debitOnce(deps, request);
  if (first.kind !== 'archive_lookup') return first;
  const archived = await deps.metering.archive.lookup(request.customerId, request.idempotencyKey);
  if (archived) return { kind: 'replayed', result: archived };
  const second = await debitOnce(deps, { ...request, archiveChecked: true });
  if (second.kind === 'archive_lookup') throw new Error('the debit script asked for a lookup it was told was done');
  return second;
}

/** What a key's use must pass besides the brand's own window: visitor windows for a publishable key, its daily cap. */
export function admissionOf(deps: Deps, key: ResolvedApiKey, ip: string, sessionId: string | undefined): Admission | undefined {
  if (key.kind !== 'publishable' && key.dailyTokenCap === null) return undefined;
  const visitor = deps.metering.settings.visitor;
  return {
    visitor: key.kind === 'publishable' ? { ip, sessionId, perIp: visitor.perIp, perSession: visitor.perSession, windowSeconds: visitor.windowSeconds } : undefined,
    dailyCap: key.dailyTokenCap === null ? undefined : { apiKeyId: key.id, tokens: key.dailyTokenCap },
  };
}

/** The debit of a key's use: the live balance, or the sandbox for a test key (never billed). */
export function debitForKey(deps: Deps, key: ResolvedApiKey, request: DebitRequest): Promise<DebitOutcome> {
  if (key.mode === 'test') return sandboxDebit(deps.redis, { ...request, startingTokens: deps.metering.settings.sandboxStartingTokens });
  return liveDebit(deps, request);
}

/** Added to every answer a test key gets, so an integration can never mistake it for a billed one. */
export const testModeOf = (key: ResolvedApiKey | undefined): { testMode?: true } => (key?.mode === 'test' ? { testMode: true } : {});

/** What a 402 needs to point at the fix: the portal's address, and whether the key spends the sandbox. */
export interface RefusalContext {
  publicUrl: string;
  testMode: boolean;
}

/** The 402 of both paid endpoints, as the spec says it. */
export const outOfTokensDescription =
  'INSUFFICIENT_TOKENS (details: remainingTokens, costTokens) or PAYMENT_REQUIRED (the brand is suspended for non-payment); nothing debited. ' +
  'Both carry details.hint and details.portalUrl (the portal page that fixes it): hint buy_tokens when the brand has a current plan whose ' +
  'allowance is spent (a token pack fixes it; for a test key the sandbox is refilled on the API keys page, which portalUrl names), ' +
  'upgrade_plan when it has no current plan (none chosen, or canceled) and for PAYMENT_REQUIRED (the plan’s invoice must be paid first).';

export const refusalContext = (deps: Deps, key: ResolvedApiKey): RefusalContext => ({ publicUrl: deps.config.api.publicUrl, testMode: key.mode === 'test' });

/**
 * The error for an outcome that debited nothing; null for a debit or a replay. A 402 carries
 * details.hint and details.portalUrl (domain/metering/out-of-tokens.ts), read from what the
 * debit script answered: no query on the refusal path.
 */
export function refusal(outcome: DebitOutcome, costTokens: number, context?: RefusalContext): AppError | null {
  const help = (o: Parameters<typeof outOfTokensHelp>[0]) => (context ? outOfTokensHelp(o, context.publicUrl, context.testMode) : {});
  switch (outcome.kind) {
    case 'debited':
    case 'replayed':
      return null;
    case 'key_reused':
      return new AppError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different request body.', { field: 'header.idempotency-key' });
    case 'rate_limited':
      return new AppError('RATE_LIMITED', 'Too many uses this second for this brand. Retry shortly.', { retryAfterSeconds: 1 });
    case 'visitor_limited':
      return new AppError('VISITOR_RATE_LIMITED', `Too many uses from this ${outcome.scope === 'ip' ? 'address' : 'widget session'} for now. Nothing was debited.`, {
        scope: outcome.scope, retryAfterSeconds: outcome.retryAfterSeconds,
      });
    case 'daily_cap_reached':
      return new AppError('DAILY_CAP_REACHED', 'This key has spent its daily token cap; it resets at 00:00 UTC. Nothing was debited.', {
        spentTokens: outcome.spentTokens, costTokens, retryAfterSeconds: outcome.retryAfterSeconds,
      });
    case 'balance_unknown':
      return new AppError('BALANCE_UNAVAILABLE', 'The balance is being rebuilt from the ledger. Retry in a moment; nothing was debited.', { retryAfterSeconds: 1 });
    case 'suspended':
      return new AppError('PAYMENT_REQUIRED', 'This brand’s account is suspended for non-payment. Nothing was debited.', help(outcome));
    case 'insufficient':
      return new AppError('INSUFFICIENT_TOKENS', 'Not enough tokens for this use. Nothing was debited.', { remainingTokens: outcome.availableTokens, costTokens, ...help(outcome) });
  }
}

/**
 * The app a key may pay for now: known, within the key's scope, and active for the brand. A test
 * key skips the activation check, so a brand can wire its storefront before it has a plan
 * (activating an app needs one); nothing it does is billed.
 */
export async function payableApp(deps: Deps, key: ResolvedApiKey, slug: string, field: string): Promise<PricedApp> {
  const app = await deps.metering.apps.find(slug);
  if (!app) throw new AppError('UNKNOWN_APP', `No app is called "${slug}".`, { field });
  // The operator's flag first: a killed app is refused to every key, test keys included.
  await assertAppOpen(deps.metering.flags, app.slug, key.customerId);
  if (key.appScopes && !key.appScopes.includes(app.slug)) {
    throw new AppError('KEY_NOT_ALLOWED_FOR_APP', `This API key is limited to other apps than ${app.slug}.`, { allowedApps: key.appScopes });
  }
  if (key.mode === 'live' && !(await deps.metering.activations.isActive(key.customerId, app.id))) {
    throw new AppError('APP_NOT_ACTIVE', `${app.slug} is not active for this brand. Activate it in the portal.`);
  }
  return app;
}
