// The customer's billing entity, id billing:<customerId>. This part holds the cycle's usage as
// the reconciler reports it: one signal per interval carrying numbered batches, each applied
// once whatever the resends. Support reads it in Temporal UI (details, query).
import { allHandlersFinished, condition, continueAsNew, defineQuery, defineSignal, setCurrentDetails, setHandler, workflowInfo } from '@temporalio/workflow';

export interface AppUsageTotals {
  uses: number;
  tokens: number;
}

/** One reconciliation pass over this customer's debits, numbered per customer from 1. */
export interface UsageBatch {
  seq: number;
  uses: number;
  tokens: number;
  /** Keyed by app slug. */
  totals: Record<string, AppUsageTotals>;
  firstDebitedAt: string;
  lastDebitedAt: string;
}

export interface UsageBatchMessage {
  /** In sequence order. A batch at or below the last applied number is a resend and is skipped. */
  batches: UsageBatch[];
}

/** Plain JSON: it is carried over continue-as-new. */
export interface BillingCycleState {
  customerId: string;
  lastAppliedSeq: number;
  usage: { uses: number; tokens: number; byApp: Record<string, AppUsageTotals> };
  batchesApplied: number;
  /** Resent batches ignored: harmless, shown so support can see the dedupe at work. */
  resendsIgnored: number;
  /** Times a batch number skipped ahead; should stay 0. */
  sequenceGaps: number;
  /** Token packs credited this cycle, once per purchase whatever the resends. */
  packCredits: PackCredit[];
}

export interface PackCredit {
  purchaseId: string;
  tokens: number;
}

export interface BillingCycleInput {
  customerId: string;
  carried?: BillingCycleState;
}

export const usageBatchSignal = defineSignal<[UsageBatchMessage]>('usageBatch');
/** From tokenPackPurchase once the pack is in the ledger; a repeat for the same purchase is ignored. */
export const packCreditedSignal = defineSignal<[PackCredit]>('packCredited');
export const cycleStateQuery = defineQuery<BillingCycleState>('cycleState');

const grouped = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

export function emptyBillingState(customerId: string): BillingCycleState {
  return { customerId, lastAppliedSeq: 0, usage: { uses: 0, tokens: 0, byApp: {} }, batchesApplied: 0, resendsIgnored: 0, sequenceGaps: 0, packCredits: [] };
}

export function applyPackCredit(state: BillingCycleState, credit: PackCredit): void {
  // Runs carried over from before packs existed have no list yet.
  state.packCredits ??= [];
  if (state.packCredits.some((c) => c.purchaseId === credit.purchaseId)) return;
  state.packCredits.push({ purchaseId: credit.purchaseId, tokens: credit.tokens });
}

export function applyUsageBatches(state: BillingCycleState, message: UsageBatchMessage): void {
  for (const batch of [...message.batches].sort((a, b) => a.seq - b.seq)) {
    if (batch.seq <= state.lastAppliedSeq) {
      state.resendsIgnored += 1;
      continue;
    }
    if (batch.seq > state.lastAppliedSeq + 1) state.sequenceGaps += 1;
    state.usage.uses += batch.uses;
    state.usage.tokens += batch.tokens;
    for (const [slug, t] of Object.entries(batch.totals)) {
      const app = (state.usage.byApp[slug] ??= { uses: 0, tokens: 0 });
      app.uses += t.uses;
      app.tokens += t.tokens;
    }
    state.lastAppliedSeq = batch.seq;
    state.batchesApplied += 1;
  }
}

export function describeBillingState(state: BillingCycleState): string {
  const apps = Object.keys(state.usage.byApp).length;
  const packs = state.packCredits?.length ?? 0;
  const packNote = packs ? `; ${packs} token pack${packs === 1 ? '' : 's'} credited` : '';
  return `${grouped(state.usage.tokens)} tokens used in ${grouped(state.usage.uses)} uses of ${apps} app${apps === 1 ? '' : 's'}; usage batches applied through #${state.lastAppliedSeq}${packNote}`;
}

export async function billingCycle(input: BillingCycleInput): Promise<void> {
  const state = input.carried ?? emptyBillingState(input.customerId);
  setHandler(usageBatchSignal, (message) => {
    applyUsageBatches(state, message);
    setCurrentDetails(describeBillingState(state));
  });
  setHandler(packCreditedSignal, (credit) => {
    applyPackCredit(state, credit);
    setCurrentDetails(describeBillingState(state));
  });
  setHandler(cycleStateQuery, () => state);
  setCurrentDetails(describeBillingState(state));
  // Entity workflow: runs until the history is long enough, then starts afresh with its state.
  await condition(() => workflowInfo().continueAsNewSuggested);
  await condition(allHandlersFinished);
  await continueAsNew<typeof billingCycle>({ customerId: input.customerId, carried: state });
}
