// The words and the take-back rule of operator adjustments. Import-free and pure, so the
// workflow, the API and the tests share them.

export const adjustmentReasonLabels = {
  service_issue: 'Service issue',
  sales_concession: 'Sales concession',
  billing_error: 'Billing error',
  fraud: 'Fraud',
  other: 'Other',
} as const;

export type AdjustmentReason = keyof typeof adjustmentReasonLabels;

/** The ledger entry's reason: the label, and the operator's note when there is one. */
export function adjustmentReasonText(code: AdjustmentReason, note: string | null): string {
  return note ? `${adjustmentReasonLabels[code]}: ${note}` : adjustmentReasonLabels[code];
}

export interface TakeableGrant {
  id: string;
  remainingTokens: number;
}

/**
 * How a take-back of `tokens` is spread over the grants, in the order given (burn order): each
 * grant gives at most what it holds, so none is driven below zero. Null when all of them
 * together hold less than `tokens`: nothing is taken then, not a part.
 */
export function splitTakeBack(grants: TakeableGrant[], tokens: number): { grantId: string; tokens: number }[] | null {
  const parts: { grantId: string; tokens: number }[] = [];
  let left = tokens;
  for (const g of grants) {
    if (left <= 0) break;
    const take = Math.min(Math.max(g.remainingTokens, 0), left);
    if (take <= 0) continue;
    parts.push({ grantId: g.id, tokens: take });
    left -= take;
  }
  return left > 0 ? null : parts;
}
