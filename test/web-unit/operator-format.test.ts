// The operator console's wording of figures: an unlimited balance, rates, durations, months and
// stored codes, each as a support person reads it.
import { balanceText, hoursText, monthText, percent, planText, usd, words } from '../../web/src/lib/operator-format';

describe('operator console wording', () => {
  it('calls a null balance Unlimited and counts the rest', () => {
    expect(balanceText(null)).toBe('Unlimited');
    expect(balanceText(0)).toBe('0');
    expect(balanceText(12_345)).toBe('12,345');
  });

  it.each([
    [0, '0%'],
    [1, '100%'],
    [0.64, '64%'],
    [0.875, '87.5%'],
    [0.83333, '83.3%'],
  ])('writes the rate %p as %p', (rate, text) => {
    expect(percent(rate)).toBe(text);
  });

  it.each([
    [null, '—'],
    [0.5, '30 min'],
    [5.5, '5.5 h'],
    [74, '3.1 days'],
  ])('writes %p hours as %p', (hours, text) => {
    expect(hoursText(hours)).toBe(text);
  });

  it('reads a month as UTC, so no time zone moves it', () => {
    expect(monthText('2026-01')).toBe('Jan 2026');
    expect(monthText('2026-12')).toBe('Dec 2026');
  });

  it('names plans, dollars and stored codes in words', () => {
    expect(planText(null)).toBe('No plan');
    expect(planText('professional')).toBe('Professional');
    expect(usd(1900)).toBe('$19');
    expect(usd(9876)).toBe('$98.76');
    expect(words('plan_allowance')).toBe('Plan allowance');
  });
});
