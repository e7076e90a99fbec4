// Display helpers of the operator console: balances that may be unlimited, plans by name, rates.
// No import of the API modules: the unit tests load this file under Node, without the DOM.
import { count, date, money, titleCase } from './format';

/** Null is a brand with unlimited tokens (an enterprise contract), not an unknown balance. */
export function balanceText(balance: number | null): string {
  return balance === null ? 'Unlimited' : count(balance);
}

const planNames: Record<string, string> = { starter: 'Starter', professional: 'Professional', enterprise: 'Enterprise' };

export function planText(plan: string | null): string {
  return plan ? (planNames[plan] ?? words(plan)) : 'No plan';
}

/** 0..1 → "42.5%", "64%": one decimal at most, none when it is zero. */
export function percent(rate: number): string {
  return `${Number((rate * 100).toFixed(1))}%`;
}

/** The console's amounts are all US dollars (the catalog's one currency). */
export function usd(cents: number): string {
  return money(cents, 'usd');
}

/** "2026-11" → "Nov 2026", read as UTC so no time zone moves it a month. */
export function monthText(month: string): string {
  return new Date(`${month}-01T00:00:00Z`).toLocaleDateString('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** Hours as a person reads them: "36 min", "5.5 h", "3.2 days"; null (no brand yet) as a dash. */
export function hoursText(hours: number | null): string {
  if (hours === null) return '—';
  if (hours < 1) return `${Math.round(hours * 60)} min`;
  if (hours < 48) return `${hours.toFixed(1)} h`;
  return `${(hours / 24).toFixed(1)} days`;
}

const shortFormat = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });

/** "Nov 28, 9:01 AM" this year, "Nov 28, 2025" before: a table column that stays narrow. */
export function shortDateTime(iso: string): string {
  const at = new Date(iso);
  return at.getFullYear() === new Date().getFullYear() ? shortFormat.format(at) : date(iso);
}

/** A stored word ("plan_allowance", "past_due") as a reader meets it: "Plan allowance". */
export function words(code: string): string {
  return titleCase(code.replaceAll('_', ' '));
}
