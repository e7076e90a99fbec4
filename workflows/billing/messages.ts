// What reaches the billing workflow. Plan changes, purchases and Stripe facts are updates
// carrying an id: the caller gets a verdict, and an id seen before is answered without being
// applied again. Usage batches stay a signal: they carry their own dedupe (batch numbers), come
// once per interval, and nobody waits on them. The packCredited signal is kept for purchase
// runs that started before packs were reported by update.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { PlanKey, SubscriptionSnapshot } from '../../domain/billing/vocabulary';
import type { BillingCycleState, PackCredit, UsageBatchMessage } from './state';

/** The workflow's registered type name; histories and callers name it. */
export const billingCycleWorkflowType = 'billingCycle';

export interface BillingCycleInput {
  customerId: string;
  carried?: Partial<BillingCycleState> & { customerId: string };
  /** Fixed cycle length (tests, demos). Absent or null: cycles follow the Stripe subscription period. */
  cycleLengthMs?: number | null;
  /** How long past_due lasts before suspension; BILLING_GRACE_PERIOD, 7 days by default. */
  gracePeriodMs?: number;
  /** Usage alert thresholds in percent for a new workflow; carried state keeps its own. */
  alertThresholds?: number[];
}

export type BillingCycleWorkflow = (input: BillingCycleInput) => Promise<void>;

export type BillingRequest =
  /** Stripe told us about the subscription (customer.subscription.*, checkout.session.completed). */
  | { kind: 'subscription'; snapshot: SubscriptionSnapshot }
  | { kind: 'invoice-paid'; invoiceId: string }
  /** tokenPackPurchase credited a pack (id pack-credited:<purchaseId>): it counts towards this cycle's available tokens. */
  | { kind: 'pack-credited'; purchaseId: string; tokens: number }
  | { kind: 'invoice-payment-failed'; invoiceId: string }
  /** The brand picks a plan: checkout without a subscription, else an upgrade now or a downgrade at the period end. */
  | { kind: 'choose-plan'; plan: PlanKey; returnUrl: string }
  | { kind: 'cancel' }
  | { kind: 'resume' }
  | { kind: 'set-alert-thresholds'; thresholds: number[] }
  | OperatorRequest;

/** A VARAi operator's money operation (operator-requests.ts); `actorId` is the operator's user id. */
export type OperatorRequest =
  /** Positive credits, negative takes back; `note` is required with reason `other`. */
  | { kind: 'adjustment'; tokens: number; reasonCode: 'service_issue' | 'sales_concession' | 'billing_error' | 'fraud' | 'other'; note: string | null; expiresAtCycleEnd: boolean; actorId: string }
  /** Moves a past_due brand's suspension `days` later. */
  | { kind: 'extend-grace'; days: number; reason: string; actorId: string }
  | { kind: 'suspend' | 'unsuspend'; reason: string; actorId: string };

/** An applied adjustment, as the API answers it. */
export interface AdjustmentApplied {
  adjustmentId: string;
  tokens: number;
  reasonCode: string;
  note: string | null;
  expiresAt: string | null;
  /** The brand's usable tokens afterwards; null is unlimited. */
  balance: number | null;
}

export interface BillingMessage {
  /** The message's idempotency key: a Stripe event id, or the API request's key. */
  id: string;
  request: BillingRequest;
}

export type BillingVerdict =
  | { outcome: 'ignored'; reason: string }
  | { outcome: 'checkout'; checkoutUrl: string }
  /** An operator request refused, with the error code the API answers and the field at fault. */
  | { outcome: 'refused'; code: 'ADJUSTMENT_EXCEEDS_BALANCE' | 'ADJUSTMENT_NOT_APPLICABLE' | 'BILLING_CHANGE_REFUSED'; reason: string; field?: string }
  | { outcome: 'adjusted'; adjustment: AdjustmentApplied }
  | { outcome: 'grace-extended'; suspendAt: string }
  | { outcome: 'status-set'; status: string }
  | { outcome: 'credited' | 'started' | 'upgraded' | 'downgrade-scheduled' | 'ended' | 'updated' | 'past-due' | 'reactivated' | 'noted' | 'cancel-scheduled' | 'resumed' | 'unchanged' | 'thresholds-set' };

export interface BillingMessageResult {
  verdict: BillingVerdict;
  /** The state after the message, in plain words. */
  details: string;
}

export const billingMessageUpdate = defineUpdate<BillingMessageResult, [BillingMessage]>('billingMessage');
export const usageBatchSignal = defineSignal<[UsageBatchMessage]>('usageBatch');
/** From tokenPackPurchase once the pack is in the ledger; a repeat for the same purchase is ignored. */
export const packCreditedSignal = defineSignal<[PackCredit]>('packCredited');
export const cycleStateQuery = defineQuery<BillingCycleState>('cycleState');
