import { configEnvKeys, loadConfig } from '../../domain/infra/config';

/** What a production deployment sets: a restricted live key, its own webhook secret, TLS cookies. */
const production: NodeJS.ProcessEnv = {
  NODE_ENV: 'production',
  STRIPE_API_BASE: '',
  STRIPE_SECRET_KEY: 'rk_live_51Example',
  STRIPE_WEBHOOK_SECRET: 'whsec_0123456789abcdef',
  COOKIE_SECURE: 'true',
};

describe('loadConfig', () => {
  it('defaults to the local dev stack', () => {
    const c = loadConfig({});
    expect(c.api.port).toBe(3000);
    expect(c.redis.url).toBe('redis://127.0.0.1:56379');
    expect(c.stripe.apiBase).toBe('http://127.0.0.1:12111');
  });

  it('splits replica and cluster lists', () => {
    const c = loadConfig({ DATABASE_READ_URLS: 'postgresql://a/x, postgresql://b/x', REDIS_CLUSTER_NODES: 'r1:6379,r2:6379' });
    expect(c.db.readUrls).toEqual(['postgresql://a/x', 'postgresql://b/x']);
    expect(c.redis.clusterNodes).toEqual(['r1:6379', 'r2:6379']);
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ API_PORT: 'eighty' })).toThrow(/API_PORT/);
  });

  it('refuses production without an explicit Stripe base', () => {
    expect(() => loadConfig({ ...production, STRIPE_API_BASE: undefined })).toThrow(/STRIPE_API_BASE/);
    expect(loadConfig(production).stripe.apiBase).toBe('');
  });

  describe('in production', () => {
    /** One line on stderr is what the operator sees: the message names the variable and has no line break. */
    const refusal = (env: NodeJS.ProcessEnv) => {
      try {
        loadConfig(env);
      } catch (err) {
        return (err as Error).message;
      }
      throw new Error('loadConfig accepted the configuration');
    };

    it('starts with a live key, its own webhook secret and Secure cookies', () => {
      const c = loadConfig(production);
      expect(c.stripe.mode).toBe('live');
      expect(c.stripe.testPayments).toBe(false);
    });

    it('refuses the public development webhook secret, in one line naming the variable', () => {
      const message = refusal({ ...production, STRIPE_WEBHOOK_SECRET: 'whsec_local_dev_secret' });
      expect(message).toMatch(/STRIPE_WEBHOOK_SECRET/);
      expect(message).not.toMatch(/\n/);
    });

    it('refuses an unset or empty webhook secret', () => {
      expect(refusal({ ...production, STRIPE_WEBHOOK_SECRET: undefined })).toMatch(/STRIPE_WEBHOOK_SECRET/);
      expect(refusal({ ...production, STRIPE_WEBHOOK_SECRET: '' })).toMatch(/STRIPE_WEBHOOK_SECRET/);
      expect(refusal({ ...production, STRIPE_WEBHOOK_SECRET: '  ' })).toMatch(/STRIPE_WEBHOOK_SECRET/);
    });

    it('refuses the default sk_test_123 and any other test key, naming the variable that allows one', () => {
      for (const key of [undefined, 'sk_test_123', 'rk_test_abc']) {
        const message = refusal({ ...production, STRIPE_SECRET_KEY: key });
        expect(message).toMatch(/STRIPE_SECRET_KEY/);
        expect(message).toMatch(/ALLOW_TEST_STRIPE_KEY=true/);
        expect(message).not.toMatch(/\n/);
      }
    });

    it('accepts a test key when ALLOW_TEST_STRIPE_KEY=true, with the test payments still off', () => {
      const c = loadConfig({ ...production, STRIPE_SECRET_KEY: 'sk_test_123', ALLOW_TEST_STRIPE_KEY: 'true' });
      expect(c.stripe.mode).toBe('test');
      expect(c.stripe.testPayments).toBe(false);
    });

    it('refuses an empty Stripe key even when test keys are allowed', () => {
      expect(refusal({ ...production, STRIPE_SECRET_KEY: '', ALLOW_TEST_STRIPE_KEY: 'true' })).toMatch(/STRIPE_SECRET_KEY/);
    });

    it('refuses COOKIE_SECURE off or unset, in one line naming the variable', () => {
      expect(refusal({ ...production, COOKIE_SECURE: 'false' })).toMatch(/COOKIE_SECURE/);
      expect(refusal({ ...production, COOKIE_SECURE: undefined })).toMatch(/COOKIE_SECURE/);
    });

    it('names every refused variable in the same single line', () => {
      const message = refusal({ NODE_ENV: 'production', STRIPE_API_BASE: '' });
      for (const name of ['STRIPE_WEBHOOK_SECRET', 'STRIPE_SECRET_KEY', 'COOKIE_SECURE']) expect(message).toContain(name);
      expect(message).not.toMatch(/\n/);
    });
  });

  describe('outside production', () => {
    it('offers the test payments with a test key', () => {
      expect(loadConfig({}).stripe).toMatchObject({ mode: 'test', testPayments: true });
    });

    it('turns them off with a restricted live key (rk_live_)', () => {
      expect(loadConfig({ STRIPE_SECRET_KEY: 'rk_live_abc' }).stripe).toMatchObject({ mode: 'live', testPayments: false });
    });

    it('refuses an empty webhook secret, which would let anyone sign events', () => {
      expect(() => loadConfig({ STRIPE_WEBHOOK_SECRET: '' })).toThrow(/STRIPE_WEBHOOK_SECRET/);
    });
  });

  it('reads the token-pack payment window as a duration, 24 hours by default', () => {
    expect(loadConfig({}).tokenPacks.paymentWindowMs).toBe(24 * 3_600_000);
    expect(loadConfig({ TOKEN_PACK_PAYMENT_WINDOW: '2s' }).tokenPacks.paymentWindowMs).toBe(2_000);
    expect(loadConfig({ TOKEN_PACK_PAYMENT_WINDOW: '1500' }).tokenPacks.paymentWindowMs).toBe(1_500);
    expect(() => loadConfig({ TOKEN_PACK_PAYMENT_WINDOW: 'a day' })).toThrow(/TOKEN_PACK_PAYMENT_WINDOW/);
  });

  it('reads the billing settings: a 7-day grace period, Stripe-driven cycles and 50/80/100 % alerts by default', () => {
    expect(loadConfig({}).billing).toEqual({ gracePeriodMs: 7 * 86_400_000, cycleLengthMs: null, alertThresholds: [50, 80, 100] });
    expect(loadConfig({ BILLING_GRACE_PERIOD: '2s', BILLING_CYCLE_LENGTH: '10s', USAGE_ALERT_THRESHOLDS: '90, 25' }).billing).toEqual({ gracePeriodMs: 2_000, cycleLengthMs: 10_000, alertThresholds: [25, 90] });
    expect(() => loadConfig({ BILLING_GRACE_PERIOD: '' })).toThrow(/BILLING_GRACE_PERIOD/);
    expect(() => loadConfig({ BILLING_CYCLE_LENGTH: 'monthly' })).toThrow(/BILLING_CYCLE_LENGTH/);
    expect(() => loadConfig({ USAGE_ALERT_THRESHOLDS: '50,150' })).toThrow(/USAGE_ALERT_THRESHOLDS/);
  });

  it('sends mail to the local SMTP catcher by default', () => {
    expect(loadConfig({}).mail.smtpUrl).toBe('smtp://127.0.0.1:1025');
    expect(configEnvKeys).toEqual(expect.arrayContaining(['SMTP_URL', 'MAIL_FROM', 'TOKEN_PACK_PAYMENT_WINDOW']));
  });

  it('lists every variable it reads', () => {
    expect(configEnvKeys).toEqual(expect.arrayContaining(['DATABASE_URL', 'REDIS_URL', 'TEMPORAL_ADDRESS', 'STRIPE_SECRET_KEY']));
  });
});
