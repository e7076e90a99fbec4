import { configEnvKeys, loadConfig } from '../../domain/infra/config';

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
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/STRIPE_API_BASE/);
    expect(loadConfig({ NODE_ENV: 'production', STRIPE_API_BASE: '' }).stripe.apiBase).toBe('');
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
