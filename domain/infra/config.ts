// One reader of the environment; everything else receives a Config.
import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65535);

/**
 * Milliseconds of a duration such as `24h`, `30m`, `2s`, `1500ms` or `7d`. An empty value is 0
 * (only where the default is empty: "not set").
 */
const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v, ctx) => {
      if (v === '' && fallback === '') return 0;
      const ms = parseDuration(v);
      if (ms === null) ctx.addIssue({ code: 'custom', message: `expected a duration such as 24h, 30m, 2s or 1500ms${fallback === '' ? ', or empty' : ''}` });
      return ms ?? 0;
    });

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  API_HOST: z.string().default('127.0.0.1'),
  API_PORT: port.default(3000),
  PUBLIC_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  /**
   * The app's role (API, worker, reconciler): it may only insert into the audit log and the
   * ledger, and owns no table. `npm run up` and the tests create it (docs/DEPLOYMENT.md).
   */
  DATABASE_URL: z.string().default('postgresql://varai_app:varai_app@127.0.0.1:55432/varai'),
  /**
   * The owner role, for migrations only. Unset: DATABASE_URL when that is set (one role, as
   * before roles were split), else the dev stack's owner.
   */
  DATABASE_MIGRATION_URL: z.string().optional(),
  /** Comma-separated read-replica URLs; reads that tolerate lag go there. */
  DATABASE_READ_URLS: z.string().default(''),
  DB_POOL_MAX: z.coerce.number().int().min(1).default(10),

  REDIS_URL: z.string().default('redis://127.0.0.1:56379'),
  /** Comma-separated host:port seeds; when set, ioredis runs in cluster mode. */
  REDIS_CLUSTER_NODES: z.string().default(''),

  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:57233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_UI_URL: z.string().default('http://127.0.0.1:58233'),
  /** TLS to the frontend; implied by any of the TLS files or an API key below. */
  TEMPORAL_TLS: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** PEM file paths: the CA that signed the frontend's cert, and this client's mTLS pair. */
  TEMPORAL_TLS_CA_FILE: z.string().default(''),
  TEMPORAL_TLS_CERT_FILE: z.string().default(''),
  TEMPORAL_TLS_KEY_FILE: z.string().default(''),
  /** SNI and host name to verify, when the address is a load balancer with another name. */
  TEMPORAL_TLS_SERVER_NAME: z.string().default(''),
  /** Temporal Cloud API key (sent as a bearer token, over TLS). */
  TEMPORAL_API_KEY: z.string().default(''),
  /** Put before every task queue name; tests give each file its own. Empty in production. */
  // A workflow bundle built beforehand (scripts/lib/workflow-bundle.ts): a restarted worker skips webpack.
  WORKFLOW_BUNDLE_PATH: z.string().default(''),
  TEMPORAL_TASK_QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_.-]*$/, 'letters, digits, _ . - only').default(''),

  STRIPE_SECRET_KEY: z.string().default('sk_test_123'),
  /** Empty means api.stripe.com; stripe-mock in dev and tests. */
  STRIPE_API_BASE: z.string().default('http://127.0.0.1:12111'),
  STRIPE_WEBHOOK_SECRET: z.string().default('whsec_local_dev_secret'),
  /** How long a token-pack checkout waits for payment before it is expired: `24h`, `30m`, `2s`, `1500ms`. */
  TOKEN_PACK_PAYMENT_WINDOW: duration('24h'),

  /** How long a brand may stay past_due (payment failed) before it is suspended: `7d`, `1h`, `2s`. */
  BILLING_GRACE_PERIOD: duration('7d'),
  /**
   * Billing cycle length for new billing workflows, e.g. `10s` for a demo of rollovers. Empty:
   * cycles follow the Stripe subscription period (a calendar month from the start).
   */
  BILLING_CYCLE_LENGTH: duration('').transform((ms) => ms || null),
  /** Usage alert thresholds, in percent of the cycle's available tokens, for brands that set none. */
  USAGE_ALERT_THRESHOLDS: z
    .string()
    .default('50,80,100')
    .transform((v, ctx) => {
      const list = v.split(',').map((s) => Number(s.trim()));
      if (list.some((n) => !Number.isInteger(n) || n < 1 || n > 100)) ctx.addIssue({ code: 'custom', message: 'expected whole percentages 1–100, comma-separated' });
      return [...new Set(list)].sort((a, b) => a - b);
    }),

  /** Outgoing mail (receipts): smtp://user:pass@host:port, or smtps:// for TLS. */
  SMTP_URL: z.string().default('smtp://127.0.0.1:1025'),
  MAIL_FROM: z.string().default('VARAi Billing <billing@varai.local>'),

  /** Fair-use ceiling of /v1/consume per customer and second, unlimited plans included. */
  CONSUME_RATE_PER_SECOND: z.coerce.number().int().min(1).default(1_000),
  /** How long Redis answers replays itself; PostgreSQL answers older keys, so keys never expire. */
  IDEMPOTENCY_REDIS_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  /** How long a debit waits for its balance to be rebuilt from the ledger before answering 503. */
  BALANCE_REBUILD_TIMEOUT_MS: z.coerce.number().int().min(50).default(2_000),
  /**
   * Each active customer's stream is drained this often. Per-debit cost is mostly per-batch cost
   * at small batches (round trips, the commit): 500 ms makes batches 2.5× larger than 200 ms did,
   * for about 0.3 s more reconciliation lag (docs/PERFORMANCE.md, issue 15).
   */
  RECONCILE_INTERVAL_MS: z.coerce.number().int().min(10).default(500),
  /** A debit pending this long with a reconciler is taken over by another (the first one died). */
  RECONCILE_CLAIM_IDLE_MS: z.coerce.number().int().min(100).default(10_000),
  RECONCILE_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(2_000),
  /** How often the billing workflow receives a customer's usage batches (one signal each time). */
  USAGE_SIGNAL_INTERVAL_MS: z.coerce.number().int().min(50).default(1_000),

  /** Upstream AI services by app, `slug=url,slug=url` (virtual-try-on, contact-lens-try-on, conversational-ai). */
  AI_UPSTREAM_URLS: z.string().default(''),
  AI_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /** Failures in a row that open a service's circuit breaker, and how long it stays open. */
  AI_BREAKER_FAILURES: z.coerce.number().int().min(1).default(5),
  AI_BREAKER_COOLDOWN_MS: z.coerce.number().int().min(100).default(30_000),
  /**
   * Fault injection for tests and drills: comma-separated app slugs whose provisioning with
   * the AI service fails (non-retryably), so activation's compensation can be exercised.
   * Refused in production.
   */
  AI_PROVISION_FAIL_SLUGS: z.string().default(''),

  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  COOKIE_SECURE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  WEB_DIST_DIR: z.string().default('web/dist'),
});

export type Config = ReturnType<typeof loadConfig>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${fields}`);
  }
  const c = parsed.data;
  if (!c.TEMPORAL_TLS_CERT_FILE !== !c.TEMPORAL_TLS_KEY_FILE) {
    throw new Error('invalid configuration: TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE go together (an mTLS client pair)');
  }
  if (c.NODE_ENV === 'production' && c.AI_PROVISION_FAIL_SLUGS.trim() !== '') {
    throw new Error('invalid configuration: AI_PROVISION_FAIL_SLUGS is fault injection for tests; it is refused in production');
  }
  // The default points at stripe-mock; production must say which Stripe it bills through
  // (empty for api.stripe.com), so a forgotten variable cannot silently bill nobody.
  if (c.NODE_ENV === 'production' && env.STRIPE_API_BASE === undefined) {
    throw new Error('invalid configuration: STRIPE_API_BASE must be set in production (empty means api.stripe.com)');
  }
  return {
    env: c.NODE_ENV,
    api: { host: c.API_HOST, port: c.API_PORT, publicUrl: c.PUBLIC_URL ?? `http://${c.API_HOST}:${c.API_PORT}` },
    logLevel: c.LOG_LEVEL,
    db: {
      url: c.DATABASE_URL,
      migrationUrl: c.DATABASE_MIGRATION_URL || (env.DATABASE_URL ? c.DATABASE_URL : 'postgresql://varai:varai@127.0.0.1:55432/varai'),
      readUrls: c.DATABASE_READ_URLS.split(',').map((s) => s.trim()).filter(Boolean),
      poolMax: c.DB_POOL_MAX,
    },
    redis: {
      url: c.REDIS_URL,
      clusterNodes: c.REDIS_CLUSTER_NODES.split(',').map((s) => s.trim()).filter(Boolean),
    },
    temporal: {
      address: c.TEMPORAL_ADDRESS,
      namespace: c.TEMPORAL_NAMESPACE,
      uiUrl: c.TEMPORAL_UI_URL,
      tls: {
        enabled: c.TEMPORAL_TLS || Boolean(c.TEMPORAL_TLS_CA_FILE || c.TEMPORAL_TLS_CERT_FILE || c.TEMPORAL_API_KEY),
        caFile: c.TEMPORAL_TLS_CA_FILE || undefined,
        certFile: c.TEMPORAL_TLS_CERT_FILE || undefined,
        keyFile: c.TEMPORAL_TLS_KEY_FILE || undefined,
        serverName: c.TEMPORAL_TLS_SERVER_NAME || undefined,
      },
      apiKey: c.TEMPORAL_API_KEY || undefined,
      taskQueuePrefix: c.TEMPORAL_TASK_QUEUE_PREFIX,
      workflowBundlePath: c.WORKFLOW_BUNDLE_PATH || undefined,
    },
    stripe: { secretKey: c.STRIPE_SECRET_KEY, apiBase: c.STRIPE_API_BASE, webhookSecret: c.STRIPE_WEBHOOK_SECRET },
    tokenPacks: { paymentWindowMs: c.TOKEN_PACK_PAYMENT_WINDOW },
    billing: { gracePeriodMs: c.BILLING_GRACE_PERIOD, cycleLengthMs: c.BILLING_CYCLE_LENGTH, alertThresholds: c.USAGE_ALERT_THRESHOLDS },
    mail: { smtpUrl: c.SMTP_URL, from: c.MAIL_FROM },
    metering: {
      ratePerSecond: c.CONSUME_RATE_PER_SECOND,
      idempotencyTtlSeconds: c.IDEMPOTENCY_REDIS_DAYS * 24 * 3600,
      rebuildTimeoutMs: c.BALANCE_REBUILD_TIMEOUT_MS,
      reconcileIntervalMs: c.RECONCILE_INTERVAL_MS,
      claimIdleMs: c.RECONCILE_CLAIM_IDLE_MS,
      batchSize: c.RECONCILE_BATCH_SIZE,
      signalIntervalMs: c.USAGE_SIGNAL_INTERVAL_MS,
    },
    gateway: {
      upstreamUrls: parseUpstreams(c.AI_UPSTREAM_URLS),
      timeoutMs: c.AI_TIMEOUT_MS,
      breaker: { failureThreshold: c.AI_BREAKER_FAILURES, cooldownMs: c.AI_BREAKER_COOLDOWN_MS },
      provisionFailSlugs: c.AI_PROVISION_FAIL_SLUGS.split(',').map((s) => s.trim()).filter(Boolean),
    },
    session: { idleMinutes: c.SESSION_IDLE_MINUTES, cookieSecure: c.COOKIE_SECURE },
    webDistDir: c.WEB_DIST_DIR,
  };
}

const durationUnits: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds of `24h`, `30m`, `2s`, `1500ms` or a bare number of milliseconds; null when unreadable. */
export function parseDuration(raw: string): number | null {
  const m = /^\s*(\d+)\s*(ms|s|m|h|d)?\s*$/.exec(raw);
  if (!m) return null;
  const ms = Number(m[1]) * durationUnits[m[2] ?? 'ms']!;
  return Number.isSafeInteger(ms) && ms > 0 ? ms : null;
}

function parseUpstreams(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = pair.indexOf('=');
    const slug = pair.slice(0, eq).trim();
    const url = pair.slice(eq + 1).trim();
    if (eq <= 0 || !/^https?:\/\//.test(url)) throw new Error(`invalid configuration: AI_UPSTREAM_URLS wants slug=http(s)://url pairs, got "${pair}"`);
    out[slug] = url;
  }
  return out;
}

/** Every environment variable the app reads; the compose test checks against this list. */
export const configEnvKeys = Object.keys(schema.shape) as (keyof typeof schema.shape)[];
