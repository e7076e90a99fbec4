// The sandbox's day hash fields: the bucket a use lands in, and a day read back as cells.
import { parseSandboxDay, sandboxBucket, utcDayStart } from '../../../domain/metering/sandbox-days';

describe('sandbox day buckets', () => {
  it('names the UTC hour of the day, the app and the key (empty for none)', () => {
    const at = Date.parse('2026-03-02T23:59:59.999Z');
    expect(utcDayStart(at)).toBe(Date.parse('2026-03-02T00:00:00Z'));
    expect(sandboxBucket(at, 'app-1', 'key-1')).toBe('23|app-1|key-1');
    expect(sandboxBucket(Date.parse('2026-03-03T00:00:00Z'), 'app-1', undefined)).toBe('0|app-1|');
  });

  it('reads a day back as one cell per hour, app and key, refunds beside the uses', () => {
    const cells = parseSandboxDay({ 'u|9|a|k': '2', 't|9|a|k': '10', 'ru|9|a|k': '1', 'rt|9|a|k': '5', 'u|10|a|': '1', 't|10|a|': '3' });
    expect(cells).toEqual([
      { hour: 9, appId: 'a', keyId: 'k', uses: 2, tokens: 10, refundedUses: 1, refundedTokens: 5 },
      { hour: 10, appId: 'a', keyId: null, uses: 1, tokens: 3, refundedUses: 0, refundedTokens: 0 },
    ]);
  });

  it('skips fields of another shape', () => {
    expect(parseSandboxDay({ 'x|9|a|k': '1', 'u|nine|a|k': '1', 'u|9|a': '1', 'u|9||k': '1' })).toEqual([]);
  });
});
