// The audit CSV's file name and how actors are named: pure rules, no database.
import { auditFileName } from '../../domain/audit/export';
import { actorLabel } from '../../domain/audit/list';

describe('auditFileName', () => {
  it('names the brand and the range', () => {
    expect(auditFileName('Acme Eyewear', '2026-11-01', '2026-11-29', '2026-11-30')).toBe('acme-eyewear-audit-2026-11-01-to-2026-11-29.csv');
  });

  it('says start and today for an open range, and never leaves the slug empty', () => {
    expect(auditFileName('✨', undefined, undefined, '2026-11-30')).toBe('brand-audit-start-to-2026-11-30.csv');
  });
});

describe('actorLabel', () => {
  const none = { email: null, name: null, apiKeyName: null, apiKeyPrefix: null };
  it('names people by name and email, keys by name and prefix, the rest by kind', () => {
    expect(actorLabel({ ...none, kind: 'user', email: 'ada@x.test', name: 'Ada' })).toBe('Ada <ada@x.test>');
    expect(actorLabel({ ...none, kind: 'operator', email: 'op@varai.test', name: 'Op' })).toBe('VARAi operator Op <op@varai.test>');
    expect(actorLabel({ ...none, kind: 'api_key', apiKeyName: 'Shop', apiKeyPrefix: 'vsk_live_ab12' })).toBe('Shop (vsk_live_ab12…)');
    expect(actorLabel({ ...none, kind: 'user' })).toBe('A removed user');
    expect(actorLabel({ ...none, kind: 'system' })).toBe('System');
  });
});
