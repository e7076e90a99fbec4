import { anomalyRule, observeFlood, observeSpike, spikeThreshold, type Alarm, type Episode, type SpikeState } from '../../domain/anomaly/rule';

/** Feeds minute counts in order (minute 0 first) and collects the alarms raised. */
function replay(counts: number[], start = 1_000_000): { alarms: (Alarm & { minute: number })[]; state: SpikeState | null } {
  let state: SpikeState | null = null;
  const alarms: (Alarm & { minute: number })[] = [];
  counts.forEach((count, i) => {
    const r = observeSpike(state, start + i, count);
    state = r.state;
    if (r.alarm) alarms.push({ ...r.alarm, minute: start + i });
  });
  return { alarms, state };
}

/** A steady brand: about `mean` uses a minute with ±20 % noise, deterministic. */
const steady = (minutes: number, mean: number) => Array.from({ length: minutes }, (_, i) => Math.round(mean * (1 + 0.2 * Math.sin(i * 1.7))));

describe('usage spike rule', () => {
  it('alarms once on a replayed spike against a steady baseline, with its numbers', () => {
    const counts = [...steady(180, 50), 900, 950, 880, ...steady(30, 50)];
    const { alarms } = replay(counts);
    expect(alarms).toHaveLength(1);
    const [alarm] = alarms;
    expect(alarm!.minute).toBe(1_000_000 + 180);
    expect(alarm!.rate).toBe(900);
    expect(alarm!.baseline).toBeGreaterThan(40);
    expect(alarm!.baseline).toBeLessThan(60);
    expect(alarm!.threshold).toBe(Math.max(anomalyRule.floorPerMinute, alarm!.baseline + anomalyRule.k * alarm!.deviation, anomalyRule.multiple * alarm!.baseline));
  });

  it('does not alarm on a steady ramp of +5 % a minute for an hour', () => {
    const ramp = Array.from({ length: 60 }, (_, i) => Math.round(100 * 1.05 ** i));
    const { alarms } = replay([...steady(120, 100), ...ramp]);
    expect(ramp.at(-1)).toBeGreaterThan(1_700);
    expect(alarms).toEqual([]);
  });

  it("does not alarm in a brand's first hour, however high it starts (warm-up)", () => {
    const { alarms } = replay(Array.from({ length: anomalyRule.warmupMinutes }, (_, i) => (i === 5 ? 5_000 : 10)));
    expect(alarms).toEqual([]);
  });

  it("does not alarm below the floor on a brand's first day, even at many times its baseline", () => {
    // A new brand: nothing for hours, then a few uses, then 100 a minute (50× the baseline).
    const day = [...Array(600).fill(0), ...steady(300, 2), ...Array(540).fill(100)];
    expect(day).toHaveLength(1_440);
    expect(replay(day).alarms).toEqual([]);
  });

  it('alarms above the floor once the baseline is warm', () => {
    const { alarms } = replay([...steady(120, 2), 500]);
    expect(alarms).toHaveLength(1);
    expect(alarms[0]!.threshold).toBe(anomalyRule.floorPerMinute);
  });

  it('opens a second episode only after the quiet minutes', () => {
    const burst = [900, 900];
    const shortPause = steady(anomalyRule.quietMinutes - 5, 50);
    const longPause = steady(anomalyRule.quietMinutes + 60, 50);
    const { alarms } = replay([...steady(120, 50), ...burst, ...shortPause, ...burst, ...longPause, ...burst]);
    expect(alarms.map((a) => a.episodeStart - 1_000_000)).toEqual([120, 120 + 2 + shortPause.length + 2 + longPause.length]);
  });

  it('counts minutes without uses as zero, so a brand idle for a day is judged against a low baseline', () => {
    let s: SpikeState | null = null;
    for (let m = 0; m < 120; m += 1) s = observeSpike(s, m, 1_000).state;
    const afterGap = observeSpike(s, 120 + 1_440, 150);
    expect(spikeThreshold(s!)).toBeGreaterThan(1_000);
    expect(afterGap.alarm?.baseline).toBeLessThan(1);
    expect(afterGap.alarm?.threshold).toBe(anomalyRule.floorPerMinute);
  });

  it('ignores a minute evaluated twice', () => {
    const first = observeSpike(replay(steady(120, 50)).state, 2_000_000, 900);
    expect(first.alarm).not.toBeNull();
    const again = observeSpike(first.state, 2_000_000, 900);
    expect(again.alarm).toBeNull();
    expect(again.state).toEqual(first.state);
  });
});

describe('4xx flood rule', () => {
  it('alarms once when one key or IP passes the per-minute count, and again after a quiet spell', () => {
    let s: Episode | null = null;
    const minutes = [10, anomalyRule.floodPerMinute, anomalyRule.floodPerMinute + 1, 500, 3, ...Array(anomalyRule.quietMinutes).fill(0), 400];
    const alarms: number[] = [];
    minutes.forEach((count, i) => {
      const r = observeFlood(s, i, count);
      s = r.state;
      if (r.alarm) alarms.push(i);
    });
    expect(alarms).toEqual([2, minutes.length - 1]);
  });

  it('names the numbers: the count and the threshold', () => {
    expect(observeFlood(null, 7, 300).alarm).toEqual({ rate: 300, baseline: 0, deviation: 0, threshold: anomalyRule.floodPerMinute, episodeStart: 7 });
  });
});
