// The chaos suite's own judgement: which answers break the "503 with a code, never a bare 5xx
// or a hang" rule, and how the recovery p99 is read off a handful of faults.
import { badAnswers, type Answer } from '../../scripts/lib/chaos/http';
import { p99 } from '../../scripts/lib/chaos/run';

const answer = (status: number, code?: string): Answer => ({ what: 'consume', sentAt: 0, at: 1, status, code });

describe('bad answers', () => {
  it('counts a 500, a 503 without a code, a 502 and a hang as bad', () => {
    const bad = [answer(500, 'INTERNAL'), answer(503), answer(502, 'UPSTREAM_FAILED'), answer(0, 'TIMEOUT')];
    expect(badAnswers(bad)).toEqual(bad);
  });

  it('accepts a 503 with a code, a refused connection and every non-5xx answer', () => {
    expect(badAnswers([answer(503, 'SERVICE_UNAVAILABLE'), answer(0, 'ECONNREFUSED'), answer(200), answer(402, 'INSUFFICIENT_TOKENS')])).toEqual([]);
  });
});

describe('recovery p99', () => {
  it('is the slowest recovery of six faults (nearest rank)', () => {
    expect(p99([3.0, 1.8, 38.1, 3.4, 4.0, 5.3])).toBe(38.1);
  });

  it('is 0 with no fault', () => {
    expect(p99([])).toBe(0);
  });
});
