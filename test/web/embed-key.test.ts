import { embedKeyFor, keyWithoutOrigins, snippetFor } from '../../web/src/lib/components/app/embed-key';
import type { ApiKey } from '../../web/src/lib/types';

let seq = 0;
function key(over: Partial<ApiKey>): ApiKey {
  seq += 1;
  return {
    id: `k${seq}`, name: `key ${seq}`, prefix: `p${seq}`, kind: 'publishable', mode: 'live', label: 'vpk_live_', legacy: false,
    appScopes: null, allowedOrigins: ['https://shop.example'], dailyTokenCap: null, publishableKey: `vpk_live_${seq}`,
    createdAt: `2026-11-0${seq % 9 + 1}T00:00:00.000Z`, lastUsedAt: null, expiresAt: null, revokedAt: null, pausedAt: null, pausedReason: null, ...over,
  };
}

describe('the key the Embed panel shows', () => {
  it('prefers a live key for an active app and a test key otherwise', () => {
    const live = key({ mode: 'live' });
    const test = key({ mode: 'test', publishableKey: 'vpk_test_x' });
    expect(embedKeyFor([live, test], 'pd-calculator', true)).toBe(live);
    expect(embedKeyFor([live, test], 'pd-calculator', false)).toBe(test);
  });

  it('skips secret, revoked, expired, out-of-scope and origin-less keys', () => {
    const keys = [
      key({ kind: 'secret', publishableKey: null }),
      key({ revokedAt: '2026-01-01T00:00:00.000Z' }),
      key({ expiresAt: '2026-01-01T00:00:00.000Z' }),
      key({ appScopes: ['frame-finder'] }),
      key({ allowedOrigins: [] }),
    ];
    expect(embedKeyFor(keys, 'pd-calculator', true, Date.parse('2026-11-29T00:00:00Z'))).toBeNull();
  });

  it('finds a key that covers the app but allows no origin yet', () => {
    const widget = key({ name: 'widget', appScopes: ['pd-calculator'], allowedOrigins: [] });
    expect(keyWithoutOrigins([key({ appScopes: ['frame-finder'], allowedOrigins: [] }), widget], 'pd-calculator')).toBe(widget);
  });

  it('writes a snippet with the key and app, attribute-escaped', () => {
    expect(snippetFor('https://api.example', 'vpk_live_a"b', 'pd-calculator')).toBe(
      '<script src="https://api.example/widget.js" data-varai-key="vpk_live_a&quot;b" data-varai-app="pd-calculator" async></script>',
    );
  });
});
