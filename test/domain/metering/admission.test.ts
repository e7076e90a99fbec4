import { admissionArgs, secondsToNextUtcDay, utcDay, visitorWindow } from '../../../domain/metering/admission';

const at = (iso: string) => Date.parse(iso);

describe('daily cap days', () => {
  it('change at 00:00 UTC, whatever the local time zone', () => {
    expect(utcDay(at('2026-03-01T23:59:59.999Z'))).toBe(utcDay(at('2026-03-01T00:00:00.000Z')));
    expect(utcDay(at('2026-03-02T00:00:00.000Z'))).toBe(utcDay(at('2026-03-01T23:59:59.999Z')) + 1);
  });

  it('tell how long until the reset, at least one second', () => {
    expect(secondsToNextUtcDay(at('2026-03-01T23:59:00.000Z'))).toBe(60);
    expect(secondsToNextUtcDay(at('2026-03-01T23:59:59.999Z'))).toBe(1);
    expect(secondsToNextUtcDay(at('2026-03-02T00:00:00.000Z'))).toBe(86_400);
  });
});

describe('visitor windows', () => {
  it('are fixed minutes, and say how long is left', () => {
    expect(visitorWindow(at('2026-03-01T10:00:45.000Z'), 60)).toEqual({ window: visitorWindow(at('2026-03-01T10:00:00.000Z'), 60).window, secondsLeft: 15 });
    expect(visitorWindow(at('2026-03-01T10:01:00.000Z'), 60).window).toBe(visitorWindow(at('2026-03-01T10:00:59.999Z'), 60).window + 1);
  });
});

describe('admissionArgs', () => {
  const now = at('2026-03-01T10:00:00.000Z');

  it('passes no limit and unused keys for a secret key without a cap', () => {
    const a = admissionArgs('c1', now, undefined);
    expect(a.keys).toEqual(['{c:c1}:-', '{c:c1}:-', '{c:c1}:-']);
    expect(a.argv.slice(0, 2)).toEqual([0, 0]);
    expect(a.argv[3]).toBe(0);
  });

  it('keeps every key under the brand’s hash tag', () => {
    const a = admissionArgs('c1', now, { visitor: { ip: '203.0.113.9', sessionId: 's', perIp: 60, perSession: 20, windowSeconds: 60 }, dailyCap: { apiKeyId: 'k', tokens: 100 } });
    for (const key of a.keys) expect(key.startsWith('{c:c1}:')).toBe(true);
    expect(a.keys[2]).toBe(`{c:c1}:cap:k:${utcDay(now)}`);
    expect(a.argv.slice(0, 4)).toEqual([60, 20, 60, 100]);
  });

  it('skips the session window when the widget sent no session', () => {
    const a = admissionArgs('c1', now, { visitor: { ip: '203.0.113.9', perIp: 60, perSession: 20, windowSeconds: 60 } });
    expect(a.keys[1]).toBe('{c:c1}:-');
    expect(a.argv[1]).toBe(0);
  });
});
