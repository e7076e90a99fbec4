import { z } from 'zod';
import type { Deps } from '../deps';
import { defineRoute } from '../route';

const checkSchema = z.object({ ok: z.boolean(), latencyMs: z.number(), error: z.string().optional() });
const healthSchema = z
  .object({
    status: z.enum(['ok', 'down']),
    down: z.array(z.string()),
    checks: z.record(z.string(), checkSchema),
  })
  .meta({ id: 'Health' });

const timeoutMs = 1_500;

async function probe(fn: () => Promise<unknown>): Promise<z.infer<typeof checkSchema>> {
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

export const healthRoutes = [
  defineRoute({
    method: 'get',
    path: '/health',
    summary: 'Checks PostgreSQL, Redis and Temporal; 503 names what is down',
    tag: 'operations',
    access: 'public',
    responses: {
      200: { description: 'Every dependency answered', schema: healthSchema },
      503: { description: 'At least one dependency is down; `down` names them', schema: healthSchema },
    },
    async handler(ctx, _input, deps) {
      const result = await checkDependencies(deps);
      ctx.set('Cache-Control', 'no-store');
      ctx.status = result.down.length ? 503 : 200;
      ctx.body = result;
    },
  }),
];
