import { originAllowed, parseOrigin } from '../../../domain/metering/allowed-origins';

describe('parseOrigin', () => {
  it.each([
    ['https://shop.example', 'https://shop.example'],
    ['  https://shop.example  ', 'https://shop.example'],
    ['HTTPS://Shop.Example', 'https://shop.example'],
    ['https://shop.example:443', 'https://shop.example'],
    ['https://shop.example:8443', 'https://shop.example:8443'],
    ['http://localhost:3000', 'http://localhost:3000'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
  ])('reads %s as %s, the form a browser sends', (raw, origin) => {
    expect(parseOrigin(raw)).toEqual({ ok: true, origin });
  });

  it.each([
    'shop.example',
    'https://shop.example/',
    'https://shop.example/checkout',
    'https://shop.example?x=1',
    'https://shop.example#top',
    'https://user:pw@shop.example',
    'https://*.shop.example',
    'ftp://shop.example',
    'javascript:alert(1)',
    'null',
    '',
  ])('refuses %p with a reason', (raw) => {
    const parsed = parseOrigin(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(/origin/);
  });
});

describe('originAllowed', () => {
  const allowed = ['https://shop.example'];

  it('allows the exact origin only', () => {
    expect(originAllowed(allowed, 'https://shop.example')).toBe(true);
    expect(originAllowed(allowed, 'https://shop.example.evil.example')).toBe(false);
    expect(originAllowed(allowed, 'http://shop.example')).toBe(false);
    expect(originAllowed(allowed, 'https://shop.example:444')).toBe(false);
  });

  it('refuses a missing or empty Origin, and everything for a key with no origin', () => {
    expect(originAllowed(allowed, undefined)).toBe(false);
    expect(originAllowed(allowed, '')).toBe(false);
    expect(originAllowed([], 'https://shop.example')).toBe(false);
  });
});
