import { stripeKeyMode, testPaymentsEnabled } from '../../domain/billing/stripe-mode';

describe('stripeKeyMode', () => {
  it.each(['sk_live_abc', 'rk_live_abc', 'pk_live_abc', 'xx_live_yy'])('reads %s as live', (key) => {
    expect(stripeKeyMode(key)).toBe('live');
  });

  it.each(['sk_test_123', 'rk_test_abc', 'sk_test_xyz'])('reads %s as test', (key) => {
    expect(stripeKeyMode(key)).toBe('test');
  });
});

describe('testPaymentsEnabled', () => {
  it('enables the test payments with a test key outside production', () => {
    expect(testPaymentsEnabled({ env: 'development', secretKey: 'sk_test_123' })).toBe(true);
    expect(testPaymentsEnabled({ env: 'test', secretKey: 'rk_test_abc' })).toBe(true);
  });

  it('disables them with a restricted live key, which the deployment guide recommends', () => {
    expect(testPaymentsEnabled({ env: 'development', secretKey: 'rk_live_abc' })).toBe(false);
  });

  it('disables them with any key carrying _live_', () => {
    expect(testPaymentsEnabled({ env: 'development', secretKey: 'sk_live_abc' })).toBe(false);
    expect(testPaymentsEnabled({ env: 'test', secretKey: 'ek_live_abc' })).toBe(false);
  });

  it('disables them in production even with a test key', () => {
    expect(testPaymentsEnabled({ env: 'production', secretKey: 'sk_test_123' })).toBe(false);
  });
});
