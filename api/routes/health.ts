import { z } from 'zod';
import type { Deps } from '../deps';
import { defineRoute } from '../route';
import { errorSchema } from '../schemas/common';

// The public answer names what is down and nothing more: the raw errors carry internal hosts,
// ports and versions. They go to the log and to operators (GET /api/operator/health).
const checkSchema = z.object({ ok: z.boolean(), latencyMs: z.number() });
const healthSchema = z
  .object({
    status: z.enum(['ok', 'down']),
    down: z.array(z.string()),
    checks: z.record(z.string(), checkSchema),
  })
  .meta({ id: 'Health' });
const detailedSchema = z
  .object({
    status: z.enum(['ok', 'down']),
    down: z.array(z.string()),
    checks: z.record(z.string(), checkSchema.extend({ error: z.string().optional() })),
  })
  .meta({ id: 'HealthDetails' });

const timeoutMs = 1_500;

type Check = z.infer<typeof detailedSchema>['checks'][string];

async function probe(fn: () => Promise<unknown>): Promise<Check> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

export async function checkDependencies(deps: Deps) {
  const [postgres, redis, temporal] = await Promise.all([
    probe(() => deps.orm.em.getConnection().execute('select 1')),
    probe(() => deps.redis.ping()),
    probe(() => deps.temporalProbe.withDeadline(Date.now() + timeoutMs, () => deps.temporalProbe.healthService.check({}))),
  ]);
  const checks = { postgres, redis, temporal };
  const down = Object.entries(checks).filter(([, c]) => !c.ok).map(([name]) => name);
  return { status: down.length ? ('down' as const) : ('ok' as const), down, checks };
}

/** What anyone may see: no error text. */
const publicView = (r: Awaited<ReturnType<typeof checkDependencies>>) => ({
  status: r.status,
  down: r.down,
  checks: Object.fromEntries(Object.entries(r.checks).map(([name, c]) => [name, { ok: c.ok, latencyMs: c.latencyMs }])),
});

export const healthRoutes = [
  defineRoute({
    method: 'get',
    path: '/health',
    summary: 'Checks PostgreSQL, Redis and Temporal; 503 names what is down',
    tag: 'operations',
    access: 'public',
    responses: {
      200: { description: 'Every dependency answered', schema: healthSchema },
      503: { description: 'At least one dependency is down; `down` names them (the errors are logged, and shown to operators)', schema: healthSchema },
    },
    async handler(ctx, _input, deps) {
      const result = await checkDependencies(deps);
      if (result.down.length) ctx.state.log.warn({ checks: result.checks }, 'health: dependencies down');
      ctx.set('Cache-Control', 'no-store');
      ctx.status = result.down.length ? 503 : 200;
      ctx.body = publicView(result);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/operator/health',
    summary: 'The same checks as /health with each failure’s error message (operators)',
    tag: 'operations',
    access: 'operate',
    responses: {
      200: { description: 'Every dependency answered', schema: detailedSchema },
      503: { description: 'At least one dependency is down; each check says why', schema: detailedSchema },
      401: { description: 'UNAUTHENTICATED', schema: errorSchema },
      403: { description: 'FORBIDDEN: operators only', schema: errorSchema },
    },
    async handler(ctx, _input, deps) {
      const result = await checkDependencies(deps);
      ctx.set('Cache-Control', 'no-store');
      ctx.status = result.down.length ? 503 : 200;
      ctx.body = result;
    },
  }),
];
