// One paid run of an app: the run row is the idempotency gate, the debit pays, the engine or the
// upstream answers, and any failure after the debit refunds it. A brand never pays for a failed
// run; a run whose process died is refunded by the reconciler's sweep (reconciler/stuck-runs.ts).
import { randomUUID } from 'node:crypto';
import { AppError, type ErrorCode } from '../../domain/errors';
import { isBuiltInEngineSlug, runBuiltInEngine, type FrameCatalog } from '../../domain/engines';
import { callUpstream } from '../../domain/gateway/upstream';
import { refund, sandboxRefund } from '../../domain/metering/scripts';
import type { Deps } from '../deps';
import type { ResolvedApiKey } from '../metering/api-key-cache';
import type { PricedApp } from '../metering/app-prices';
import { admissionOf, debitForKey, refusal, refusalContext, testModeOf } from '../metering/charge';
import { claimRun, finishRun, forgetRun, type RunRow } from './run-rows';

export interface RunRequest {
  key: ResolvedApiKey;
  app: PricedApp;
  idempotencyKey: string;
  requestHash: string;
  input: unknown;
  sessionId?: string;
  /** The caller's address, for a publishable key's per-visitor window. */
  ip: string;
  /** The frames a catalog engine searches: the brand's upload, or the sample. */
  catalog: FrameCatalog;
}

export interface RunResponse {
  runId: string;
  app: string;
  tokens: number;
  remainingTokens: number | null;
  result: unknown;
  replayed: boolean;
  testMode?: true;
}

const upstreamFailures = new Set<ErrorCode>(['UPSTREAM_FAILED', 'UPSTREAM_TIMEOUT']);

function replay(row: RunRow, requestHash: string): RunResponse {
  if (row.requestHash !== requestHash) throw refusal({ kind: 'key_reused' }, 0)!;
  if (row.status === 'running') throw new AppError('RUN_IN_PROGRESS', 'A run with this Idempotency-Key is still in progress.', { retryAfterSeconds: 1, runId: row.id });
  if (row.status === 'refunded') {
    const code = (row.errorCode ?? 'UPSTREAM_FAILED') as ErrorCode;
    throw new AppError(code, 'This run failed and its tokens were refunded.', { refunded: true, runId: row.id });
  }
  return { ...(row.result as Omit<RunResponse, 'replayed'>), replayed: true };
}

export async function runApp(deps: Deps, r: RunRequest): Promise<RunResponse> {
  // An upstream configured for an app replaces its built-in engine (an operator's explicit
  // choice, e.g. a 3D try-on service); without one, the built-in engine answers.
  const upstreamUrl = deps.config.gateway.upstreamUrls[r.app.slug];
  const breaker = upstreamUrl ? deps.metering.breakers.for(r.app.slug) : undefined;
  // An open breaker refuses before anything is debited: no charge, no wait on a dead service.
  if (breaker && !breaker.tryAcquire(Date.now())) {
    throw new AppError('UPSTREAM_UNAVAILABLE', `The ${r.app.slug} service is failing; calls resume after a pause.`, {
      retryAfterSeconds: Math.max(1, Math.ceil(breaker.retryAfterMs(Date.now()) / 1000)),
    });
  }
  const runId = randomUUID();
  const test = r.key.mode === 'test';
  // A test run and a live run with the same key are two different runs; the sweep of stuck runs
  // finds no reconciled use for a test run, so it never refunds anything real for one.
  const runKey = test ? `test:${r.idempotencyKey}` : r.idempotencyKey;
  const existing = await claimRun(deps, { id: runId, customerId: r.key.customerId, appId: r.app.id, idempotencyKey: runKey, requestHash: r.requestHash });
  if (existing) return { ...replay(existing, r.requestHash), ...testModeOf(r.key) };

  const debitedAtMs = Date.now();
  const outcome = await debitForKey(deps, r.key, {
    customerId: r.key.customerId,
    usageId: runId,
    // Runs and plain consumes keep apart: the same key on both endpoints is two different uses.
    idempotencyKey: `run:${r.idempotencyKey}`,
    requestHash: r.requestHash,
    appId: r.app.id,
    appSlug: r.app.slug,
    costTokens: r.app.costTokens,
    nowMs: debitedAtMs,
    idempotencyTtlSeconds: deps.metering.settings.idempotencyTtlSeconds,
    ratePerSecond: deps.metering.settings.ratePerSecond,
    sessionId: r.sessionId,
    apiKeyId: r.key.id,
    admission: admissionOf(deps, r.key, r.ip, r.sessionId),
    // app_runs holds every run's key for good (claimRun above), so PostgreSQL has been asked.
    archiveChecked: true,
  });
  if (outcome.kind !== 'debited') {
    // Nothing was debited: the key is free for a retry.
    await forgetRun(deps, runId);
    throw refusal(outcome, r.app.costTokens, refusalContext(deps, r.key)) ?? new AppError('RUN_IN_PROGRESS', 'A run with this Idempotency-Key is still in progress.', { retryAfterSeconds: 1 });
  }
  if (!test) deps.metering.noteActivity(r.key.customerId, Date.now());
  await finishRun(deps, runId, { allocation: outcome.allocation });

  try {
    const result = upstreamUrl ? await callUpstream(upstreamUrl, r.app.slug, r.input, deps.config.gateway.timeoutMs) : execute(r.app.slug, r.input, r.catalog);
    breaker?.success();
    const response = { runId, app: r.app.slug, tokens: r.app.costTokens, remainingTokens: outcome.remainingTokens, result, ...testModeOf(r.key) };
    await finishRun(deps, runId, { status: 'succeeded', result: response });
    return { ...response, replayed: false };
  } catch (err) {
    const code: ErrorCode = err instanceof AppError ? err.code : 'INTERNAL';
    if (breaker && upstreamFailures.has(code)) breaker.failure(Date.now());
    if (test) {
      await sandboxRefund(deps.redis, {
        customerId: r.key.customerId, usageId: runId, costTokens: r.app.costTokens, appSlug: r.app.slug,
        appId: r.app.id, apiKeyId: r.key.id, debitedAtMs,
      });
    }
    else {
      await refund(deps.redis, {
        customerId: r.key.customerId, usageId: runId, allocation: outcome.allocation, costTokens: r.app.costTokens,
        appId: r.app.id, appSlug: r.app.slug, nowMs: Date.now(), reason: code,
      });
    }
    await finishRun(deps, runId, { status: 'refunded', errorCode: code });
    if (!(err instanceof AppError)) throw err;
    throw new AppError(err.code, `${err.message} The ${r.app.costTokens} tokens were refunded.`, { ...err.details, refunded: true, refundedTokens: r.app.costTokens, runId });
  }
}

function execute(slug: string, input: unknown, catalog: FrameCatalog): unknown {
  if (isBuiltInEngineSlug(slug)) return runBuiltInEngine(slug, input, catalog);
  throw new AppError('UPSTREAM_NOT_CONFIGURED', `No ${slug} service is configured for this deployment.`);
}
