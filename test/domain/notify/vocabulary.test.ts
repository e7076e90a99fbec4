// Which category each notice kind falls in, and who gets what before choosing.
import { smsText } from '../../../domain/notify/notice';
import { categoryOf, defaultPreferences, noticeCategories } from '../../../domain/notify/vocabulary';

describe('categoryOf', () => {
  it.each([
    ['usage.alert', 'usage_alerts'],
    ['usage.weekly_summary', 'weekly_summary'],
    ['billing.payment-failed', 'billing'],
    ['billing.suspended', 'billing'],
    ['billing.reactivated', 'billing'],
    ['billing.cycle_summary', 'billing'],
    ['billing.auto_top_up_disabled', 'billing'],
    ['billing.auto_top_up_capped', 'billing'],
    ['token_pack.receipt', 'billing'],
    ['app.activated', 'activation'],
    ['app.activation_failed', 'activation'],
    ['app.deactivated_by_plan', 'activation'],
    ['security.password_changed', 'security'],
  ])('files %s under %s', (kind, category) => {
    expect(categoryOf(kind)).toBe(category);
  });
});

describe('defaultPreferences', () => {
  const byEmail = (role: string) => noticeCategories.filter((c) => defaultPreferences(role)[c].email);

  it('gives admins billing and security by email, with usage alerts and the weekly summary', () => {
    expect(byEmail('admin')).toEqual(['usage_alerts', 'billing', 'security', 'weekly_summary']);
  });

  it('gives managers usage alerts and security, viewers security only', () => {
    expect(byEmail('manager')).toEqual(['usage_alerts', 'security']);
    expect(byEmail('viewer')).toEqual(['security']);
  });

  it('never turns SMS on by default', () => {
    for (const role of ['admin', 'manager', 'viewer']) expect(noticeCategories.filter((c) => defaultPreferences(role)[c].sms)).toEqual([]);
  });
});

describe('smsText', () => {
  it('is the subject on one line, prefixed, and at most 320 characters', () => {
    expect(smsText('Your payment\nfailed')).toBe('VARAi: Your payment failed');
    const long = smsText('x'.repeat(500));
    expect(long).toHaveLength(320);
    expect(long.endsWith('…')).toBe(true);
  });
});
