// One reader of the environment; everything else receives a Config.
import { z } from 'zod';
import { stripeKeyMode, testPaymentsEnabled } from '../billing/stripe-mode';

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

/**
 * The development defaults are public (they are in this file): production refuses both, since
 * anyone could sign a Stripe event with the secret, and the key is a test key.
 */
const devStripeKey = 'sk_test_123';
const devWebhookSecret = 'whsec_local_dev_secret';

/** A configuration that must not run; its message is one line that names the variable. */
export class ConfigError extends Error {
  constructor(problems: string) {
    super(`invalid configuration: ${problems}`);
    this.name = 'ConfigError';
  }
}

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

  /** A `_live_` key (rk_live_ restricted, recommended) bills for real; any other is test mode. */
  STRIPE_SECRET_KEY: z.string().default(devStripeKey),
  /** Production refuses a test key unless this says `true` (a staging deployment against Stripe's test mode). */
  ALLOW_TEST_STRIPE_KEY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Empty means api.stripe.com; stripe-mock in dev and tests. */
  STRIPE_API_BASE: z.string().default('http://127.0.0.1:12111'),
  STRIPE_WEBHOOK_SECRET: z.string().default(devWebhookSecret),
  /** How long a token-pack checkout waits for payment before it is expired: `24h`, `30m`, `2s`, `1500ms`. */
  TOKEN_PACK_PAYMENT_WINDOW: duration('24h'),
  /** Auto top-up: how long after a declined card the one retry waits (`1h`; tests `1s`). */
  AUTO_TOP_UP_RETRY_DELAY: duration('1h'),

  /** How often the reconciliation audit runs (its Temporal Schedule's interval): `5m`, `30s`. */
  RECONCILE_AUDIT_INTERVAL: duration('5m'),
  /** How often the audit looks at every brand, not only those with activity since the last run: `1h`. */
  RECONCILE_AUDIT_FULL_SWEEP: duration('1h'),

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
  /** Outgoing SMS: a Twilio-compatible Messages API (domain/notify/sms.ts); locally the catcher of `npm run up`. */
  SMS_API_BASE: z.string().url().default('http://127.0.0.1:13011'),
  SMS_ACCOUNT_SID: z.string().min(1).default('AC00000000000000000000000000000000'),
  SMS_AUTH_TOKEN: z.string().min(1).default('local-sms-token'),
  /** The sending number (E.164) or sender id. */
  SMS_FROM: z.string().min(1).default('+15005550006'),

  /** Fair-use ceiling of /v1/consume per customer and second, unlimited plans included. */
  CONSUME_RATE_PER_SECOND: z.coerce.number().int().min(1).default(1_000),
  /**
   * Publishable keys (storefronts): paid uses per visitor per minute, per brand: from one IP, and
   * from one widget session (the body's sessionId). 429 VISITOR_RATE_LIMITED past either.
   */
  PUBLISHABLE_USES_PER_IP_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  PUBLISHABLE_USES_PER_SESSION_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  /** Test mode: the tokens a brand's sandbox starts with, and is refilled to from the portal. */
  SANDBOX_STARTING_TOKENS: z.coerce.number().int().min(1).max(1_000_000_000).default(10_000),
  /** Usable (unrevoked, unexpired) API keys a brand may hold at once. */
  API_KEYS_PER_BRAND: z.coerce.number().int().min(1).max(1_000).default(25),
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
  RECONCILE_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(2_000),
  /** How often the billing workflow of a brand with auto top-up on receives its usage batches (one signal each time). */
  USAGE_SIGNAL_INTERVAL_MS: z.coerce.number().int().min(50).default(1_000),
  /**
   * How long a brand without auto top-up may have usage batches waiting before they are signalled
   * (0: every interval, as with auto top-up). Nothing in its workflow is urgent (usage alerts are
   * emails), and each signal is history events and a workflow task on the Temporal cluster.
   */
  USAGE_SIGNAL_MAX_DELAY_MS: z.coerce.number().int().min(0).max(300_000).default(10_000),

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

  /** Failed logins one IP may make in a minute, whatever the emails (counted before the password check). */
  LOGIN_FAILURES_PER_IP_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  /** Failed logins for one account from one IP before each next try waits, doubling from 1 s. */
  LOGIN_FREE_FAILURES_PER_ACCOUNT_IP: z.coerce.number().int().min(1).default(5),
  LOGIN_MAX_DELAY_PER_ACCOUNT_IP: duration('15m'),
  /**
   * Failed logins for one account from all IPs (a distributed guess) before each next try waits;
   * short at most, as the real user on a new IP shares it (IPs that logged in before skip it).
   */
  LOGIN_FREE_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(20),
  LOGIN_MAX_DELAY_PER_ACCOUNT: duration('1m'),
  /** Sign-ups one IP may make in an hour: each costs a hash, a workflow and a Stripe customer. */
  SIGNUPS_PER_IP_PER_HOUR: z.coerce.number().int().min(1).default(10),
  /** argon2id cost: memory in KiB and passes (OWASP: at least 19456 KiB with 2 passes). */
  PASSWORD_HASH_MEMORY_KIB: z.coerce.number().int().min(256).default(65_536),
  PASSWORD_HASH_PASSES: z.coerce.number().int().min(1).default(3),

  /**
   * Proxies in front of the API in production (the nginx edge: 1). The client's address is the
   * one this many hops back in X-Forwarded-For; the entries before it are the client's to forge.
   */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(1).max(10).default(1),

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
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  const c = parsed.data;
  if (!c.TEMPORAL_TLS_CERT_FILE !== !c.TEMPORAL_TLS_KEY_FILE) {
    throw new ConfigError('TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE go together (an mTLS client pair)');
  }
  const problems = [...stripeProblems(c), ...(c.NODE_ENV === 'production' ? productionProblems(c, env) : [])];
  if (problems.length > 0) throw new ConfigError(problems.join('; '));
  const stripeMode = stripeKeyMode(c.STRIPE_SECRET_KEY);
  return {
    env: c.NODE_ENV,
    api: { host: c.API_HOST, port: c.API_PORT, publicUrl: c.PUBLIC_URL ?? `http://${c.API_HOST}:${c.API_PORT}`, trustedProxyHops: c.TRUSTED_PROXY_HOPS },
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
    stripe: {
      secretKey: c.STRIPE_SECRET_KEY,
      apiBase: c.STRIPE_API_BASE,
      webhookSecret: c.STRIPE_WEBHOOK_SECRET,
      /** `live` for any `_live_` key: webhook events must say livemode, and only Stripe's own objects are believed. */
      mode: stripeMode,
      /** Whether the test-payment actions exist (routes mounted, portal buttons shown). */
      testPayments: testPaymentsEnabled({ env: c.NODE_ENV, secretKey: c.STRIPE_SECRET_KEY }),
    },
    tokenPacks: { paymentWindowMs: c.TOKEN_PACK_PAYMENT_WINDOW, autoTopUpRetryMs: c.AUTO_TOP_UP_RETRY_DELAY },
    reconcileAudit: { intervalMs: c.RECONCILE_AUDIT_INTERVAL, fullSweepEveryMs: c.RECONCILE_AUDIT_FULL_SWEEP },
    billing: { gracePeriodMs: c.BILLING_GRACE_PERIOD, cycleLengthMs: c.BILLING_CYCLE_LENGTH, alertThresholds: c.USAGE_ALERT_THRESHOLDS },
    mail: { smtpUrl: c.SMTP_URL, from: c.MAIL_FROM },
    sms: { apiBase: c.SMS_API_BASE, accountSid: c.SMS_ACCOUNT_SID, authToken: c.SMS_AUTH_TOKEN, from: c.SMS_FROM },
    metering: {
      ratePerSecond: c.CONSUME_RATE_PER_SECOND,
      visitor: { perIp: c.PUBLISHABLE_USES_PER_IP_PER_MINUTE, perSession: c.PUBLISHABLE_USES_PER_SESSION_PER_MINUTE, windowSeconds: 60 },
      sandboxStartingTokens: c.SANDBOX_STARTING_TOKENS,
      apiKeysPerBrand: c.API_KEYS_PER_BRAND,
      idempotencyTtlSeconds: c.IDEMPOTENCY_REDIS_DAYS * 24 * 3600,
      rebuildTimeoutMs: c.BALANCE_REBUILD_TIMEOUT_MS,
      reconcileIntervalMs: c.RECONCILE_INTERVAL_MS,
      batchSize: c.RECONCILE_BATCH_SIZE,
      signalIntervalMs: c.USAGE_SIGNAL_INTERVAL_MS,
      signalMaxDelayMs: c.USAGE_SIGNAL_MAX_DELAY_MS,
    },
    gateway: {
      upstreamUrls: parseUpstreams(c.AI_UPSTREAM_URLS),
      timeoutMs: c.AI_TIMEOUT_MS,
      breaker: { failureThreshold: c.AI_BREAKER_FAILURES, cooldownMs: c.AI_BREAKER_COOLDOWN_MS },
      provisionFailSlugs: c.AI_PROVISION_FAIL_SLUGS.split(',').map((s) => s.trim()).filter(Boolean),
    },
    session: { idleMinutes: c.SESSION_IDLE_MINUTES, cookieSecure: c.COOKIE_SECURE },
    throttles: {
      loginFailuresPerIpPerMinute: c.LOGIN_FAILURES_PER_IP_PER_MINUTE,
      perAccountIp: { freeFailures: c.LOGIN_FREE_FAILURES_PER_ACCOUNT_IP, maxDelayMs: c.LOGIN_MAX_DELAY_PER_ACCOUNT_IP },
      perAccount: { freeFailures: c.LOGIN_FREE_FAILURES_PER_ACCOUNT, maxDelayMs: c.LOGIN_MAX_DELAY_PER_ACCOUNT },
      signupsPerIpPerHour: c.SIGNUPS_PER_IP_PER_HOUR,
    },
    passwordHash: { memoryKib: c.PASSWORD_HASH_MEMORY_KIB, passes: c.PASSWORD_HASH_PASSES },
    webDistDir: c.WEB_DIST_DIR,
  };
}

type Parsed = z.output<typeof schema>;

/** Everywhere: an empty key or webhook secret cannot be what anyone meant (an empty secret would sign for anyone). */
function stripeProblems(c: Parsed): string[] {
  const problems: string[] = [];
  if (c.STRIPE_SECRET_KEY.trim() === '') problems.push('STRIPE_SECRET_KEY is empty; set the Stripe secret key');
  if (c.STRIPE_WEBHOOK_SECRET.trim() === '') problems.push("STRIPE_WEBHOOK_SECRET is empty; set the webhook endpoint's whsec_ signing secret");
  return problems;
}

/**
 * What production refuses to start with: public defaults anyone could use to sign events or
 * that would bill nobody, a test key unless ALLOW_TEST_STRIPE_KEY says so, cookies sent over
 * plain HTTP, and fault injection. All are reported together, on one line.
 */
function productionProblems(c: Parsed, env: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  if (c.STRIPE_WEBHOOK_SECRET === devWebhookSecret) problems.push(`STRIPE_WEBHOOK_SECRET is the public development default (${devWebhookSecret}); set the webhook endpoint's own whsec_ signing secret`);
  if (c.STRIPE_SECRET_KEY.trim() !== '' && stripeKeyMode(c.STRIPE_SECRET_KEY) === 'test' && !c.ALLOW_TEST_STRIPE_KEY) {
    const which = c.STRIPE_SECRET_KEY === devStripeKey ? `the public development default (${devStripeKey})` : 'a test key';
    problems.push(`STRIPE_SECRET_KEY is ${which}; set a live key (rk_live_ restricted key), or ALLOW_TEST_STRIPE_KEY=true for a deployment on Stripe's test mode`);
  }
  // The default points at stripe-mock; production must say which Stripe it bills through
  // (empty for api.stripe.com), so a forgotten variable cannot silently bill nobody.
  if (env.STRIPE_API_BASE === undefined) problems.push('STRIPE_API_BASE must be set in production (empty means api.stripe.com)');
  if (!c.COOKIE_SECURE) problems.push('COOKIE_SECURE must be true in production (session cookies only over HTTPS)');
  if (c.AI_PROVISION_FAIL_SLUGS.trim() !== '') problems.push('AI_PROVISION_FAIL_SLUGS is fault injection for tests; it is refused in production');
  // A test profile's cheap hash must never reach real passwords.
  if (c.PASSWORD_HASH_MEMORY_KIB < 19_456) problems.push("PASSWORD_HASH_MEMORY_KIB is below 19456 (OWASP's floor for argon2id); refused in production");
  return problems;
}

/**
 * For process entries: the configuration, or one line on stderr saying what is wrong and exit
 * code 1, before anything connects (a stack trace would bury the variable's name).
 */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
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
