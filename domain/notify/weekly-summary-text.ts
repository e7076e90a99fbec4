// The weekly summary mail: what the week cost by app, against the week before, where the
// balance is heading, and the page with the detail. Pure, so its wording is unit-tested.
import type { WeeklyUsageSummary } from '../usage/summary';

const fmt = (n: number) => n.toLocaleString('en-US');
const day = (iso: string) => iso.slice(0, 10);

export function weeklySummaryText(input: { brandName: string; weekEnd: Date; usage: WeeklyUsageSummary; portalUrl: string }): { subject: string; text: string } {
  const { usage } = input;
  const from = day(new Date(input.weekEnd.getTime() - 7 * 86_400_000).toISOString());
  const to = day(new Date(input.weekEnd.getTime() - 86_400_000).toISOString());
  const change =
    usage.changePct === null ? (usage.tokens > 0 ? 'no use the week before' : 'no use either week') : `${usage.changePct > 0 ? '+' : ''}${usage.changePct}% from the week before (${fmt(usage.previousTokens)} tokens)`;
  const apps = usage.byApp.length ? usage.byApp.map((a) => `  ${a.name}: ${fmt(a.tokens)} ${a.tokens === 1 ? 'token' : 'tokens'} (${fmt(a.uses)} ${a.uses === 1 ? 'use' : 'uses'})`) : ['  No app was used.'];
  const f = usage.forecast;
  const pace = `at ${fmt(f.burnPerDay)} a day (${f.method === 'weekday-aware' ? 'by weekday' : 'the last 7 days'})`;
  const forecast = [
    f.balance === null
      ? 'Forecast: your plan is unlimited.'
      : f.exhaustsAt
        ? `Forecast: ${fmt(f.balance)} tokens left; ${pace} they run out around ${day(f.exhaustsAt)}${f.beforeCycleEnd && f.cycleEndsAt ? `, before your cycle ends on ${day(f.cycleEndsAt)}` : ''}.`
        : `Forecast: ${fmt(f.balance)} tokens left; ${pace} they last beyond ${f.cycleEndsAt ? `your cycle's end on ${day(f.cycleEndsAt)}` : 'the next 30 days'}.`,
    ...(f.suggestion ? [`Suggested: ${f.suggestion.name}. ${f.suggestion.reason}`] : []),
  ];
  return {
    subject: `Weekly usage for ${input.brandName}: ${fmt(usage.tokens)} tokens`,
    text: [
      `Usage of ${input.brandName} from ${from} to ${to} (UTC).`,
      ``,
      `Tokens used: ${fmt(usage.tokens)}, ${change}.`,
      ``,
      `By app:`,
      ...apps,
      ``,
      ...forecast,
      ``,
      `Details and charts: ${input.portalUrl.replace(/\/$/, '')}/#/usage`,
      ``,
      `You receive this because "Weekly summary" is on in your notification settings: ${input.portalUrl.replace(/\/$/, '')}/#/preferences`,
    ].join('\n'),
  };
}
