// The weekly summary mail's wording: the week's dates, tokens by app, the change, the forecast, the link.
import { weeklySummaryText } from '../../../domain/notify/weekly-summary-text';
import type { WeeklyUsageSummary } from '../../../domain/usage/summary';

const weekEnd = new Date('2026-11-30T00:00:00Z');
const usage: WeeklyUsageSummary = {
  weekStart: '2026-11-23T00:00:00.000Z',
  weekEnd: weekEnd.toISOString(),
  byApp: [
    { slug: 'virtual-try-on', name: 'Virtual Try-On', uses: 1200, tokens: 6000 },
    { slug: 'pd-calculator', name: 'PD Calculator', uses: 1, tokens: 1 },
  ],
  tokens: 6001,
  previousTokens: 5000,
  changePct: 20,
  forecast: {
    balance: 12000,
    burnPerDay: 857,
    method: 'trailing-7-day',
    exhaustsAt: '2026-12-14T00:00:00.000Z',
    cycleEndsAt: '2026-12-20T00:00:00.000Z',
    beforeCycleEnd: true,
    suggestion: { kind: 'pack', id: 'tokens_5k', name: '5,000 tokens', reason: 'Covers the rest of the cycle at this pace.' },
    forecastSeries: [],
  },
};
const mail = (u: WeeklyUsageSummary) => weeklySummaryText({ brandName: 'Northwind Optics', weekEnd, usage: u, portalUrl: 'https://portal.example/' });

describe('weeklySummaryText', () => {
  it('names the brand and the week’s tokens in the subject', () => {
    expect(mail(usage).subject).toBe('Weekly usage for Northwind Optics: 6,001 tokens');
  });

  it('lists the week (Monday to Sunday before weekEnd), tokens by app, the change and the forecast', () => {
    const { text } = mail(usage);
    expect(text).toContain('from 2026-11-23 to 2026-11-29 (UTC)');
    expect(text).toContain('Virtual Try-On: 6,000 tokens (1,200 uses)');
    expect(text).toContain('PD Calculator: 1 token (1 use)');
    expect(text).toContain('+20% from the week before (5,000 tokens)');
    expect(text).toContain('Forecast: 12,000 tokens left; at 857 a day (the last 7 days) they run out around 2026-12-14, before your cycle ends on 2026-12-20.');
    expect(text).toContain('Suggested: 5,000 tokens. Covers the rest of the cycle at this pace.');
    expect(text).toContain('https://portal.example/#/usage');
    expect(text).toContain('https://portal.example/#/preferences');
  });

  it('says so when there is nothing to compare with, the plan is unlimited, or the pace never runs out', () => {
    expect(mail({ ...usage, previousTokens: 0, changePct: null }).text).toContain('no use the week before');
    expect(mail({ ...usage, forecast: { ...usage.forecast, balance: null, exhaustsAt: null, suggestion: null } }).text).toContain('Forecast: your plan is unlimited.');
    expect(mail({ ...usage, forecast: { ...usage.forecast, balance: 100, burnPerDay: 0, exhaustsAt: null, beforeCycleEnd: false } }).text).toContain("they last beyond your cycle's end on 2026-12-20");
    expect(mail({ ...usage, byApp: [], tokens: 0 }).text).toContain('No app was used.');
  });
});
