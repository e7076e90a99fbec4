// Auto top-up's pure rules inside the billing workflow: what the workflow remembers of the
// brand's choice, and what counts as a crossing. Import-free, so state.ts can name the types
// and the rules are unit-tested without a workflow.

/** The part of the brand's choice the workflow needs: whether to watch, and the line to watch. */
export interface AutoTopUpWatch {
  enabled: boolean;
  thresholdTokens: number;
  /** Crossings seen while enabled, for support (each queued one purchase attempt). */
  crossings: number;
}

/** Queued in the outbox at a crossing; the activity behind it decides (cap, settings) and buys. */
export interface AutoTopUpItem {
  kind: 'auto-top-up';
  /** Unique per crossing (the batch that made it), so a retried start finds its purchase. */
  triggerKey: string;
  balanceTokens: number;
  thresholdTokens: number;
}

/**
 * A crossing: the balance was at or above the threshold and is now below it. Balances are null
 * while unknown (no cycle, unlimited plan): nothing crosses then. Concurrent debits reach the
 * workflow summed into one batch, or as batches applied one after the other; either way only the
 * first one below the line finds the balance before it at or above the line, so a storm of
 * debits buys once. The watch re-arms by itself once the balance is back above (a pack credited,
 * a new cycle's allowance).
 */
export function crossedBelow(before: number | null, after: number | null, thresholdTokens: number): boolean {
  return before !== null && after !== null && before >= thresholdTokens && after < thresholdTokens;
}

export function triggerKeyOf(cycleStartAt: string, batchSeq: number): string {
  return `cycle:${cycleStartAt}:batch:${batchSeq}`;
}
