// What an operator reads about a drift, in the console and the email: the brand, the figures,
// what the audit already did, and what is left to a human.
import type { OperatorAlertInput } from '../operator/alerts';
import type { DriftKind } from './compare';

export interface DriftReport {
  kind: DriftKind;
  customerId: string;
  brandName: string;
  /** Once per drift: the same drift found again by the next run raises nothing. */
  dedupeKey: string;
  differenceTokens: number;
  summary: string;
  repair: string;
  details: Record<string, unknown>;
}

const what: Record<DriftKind, string> = {
  redis_balance: 'cached balance (Redis) differs from the ledger',
  workflow_usage: 'usage batches never reached the billing workflow',
  pack_payment: 'token pack paid in Stripe but not credited',
};

export function driftAlert(r: DriftReport): OperatorAlertInput {
  const difference = `${r.differenceTokens > 0 ? '+' : ''}${r.differenceTokens.toLocaleString('en-US')}`;
  return {
    kind: 'balance-drift',
    dedupeKey: r.dedupeKey,
    customerId: r.customerId,
    subject: `${r.brandName}: ${what[r.kind]} (${difference} tokens)`,
    text: `Reconciliation audit, brand ${r.brandName} (${r.customerId}): ${what[r.kind]}.\n${r.summary}\nDifference: ${difference} tokens.\n${r.repair}\nThe ledger was not changed. See docs/SUPPORT.md, "Reconciliation audit".`,
    details: { driftKind: r.kind, differenceTokens: r.differenceTokens, ...r.details },
  };
}
