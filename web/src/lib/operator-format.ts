// Display helpers of the operator console: balances that may be unlimited, plans by name, rates.
import type { Plan } from './api-operator';
import { count, money } from './format';

/** Null is a brand with unlimited tokens (an enterprise contract), not an unknown balance. */
export function balanceText(balance: number | null): string {
  return balance === null ? 'Unlimited' : count(balance);
}

const planNames: Record<Plan, string> = { starter: 'Starter', professional: 'Professional', enterprise: 'Enterprise' };

export function planText(plan: Plan | null): string {
  return plan ? planNames[plan] : 'No plan';
}

/** 0..1 → "42.5%". */
export function percent(rate: number): string {
  return `${(rate * 100).toFixed(rate === 0 || rate === 1 ? 0 : 1)}%`;
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
