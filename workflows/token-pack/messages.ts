// What crosses the boundary of the tokenPackPurchase and tokenPackRefund workflows: inputs,
// results, the payment signal, the checkout URL update and the state query. Imported by the
// workflows and by their callers (clients/).
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

/** The workflows' registered type names; histories and callers name them. */
export const tokenPackPurchaseWorkflowType = 'tokenPackPurchase';
export const tokenPackRefundWorkflowType = 'tokenPackRefund';

export interface TokenPackPurchaseInput {
  purchaseId: string;
  customerId: string;
  tokens: number;
  /** How long the checkout waits for payment (TOKEN_PACK_PAYMENT_WINDOW), in milliseconds. */
  paymentWindowMs: number;
  /** Where Stripe sends the buyer back after checkout. */
  returnUrl: string;
  /**
   * Auto top-up: no checkout; the brand's saved card is charged off-session (workflows/token-pack/
   * off-session.ts). A decline is tried once more after `retryDelayMs`; two declines end the
   * purchase `failed` and turn auto top-up off.
   */
  offSession?: { paymentMethodId: string; retryDelayMs: number };
}

export type PurchaseStep = 'creating-checkout' | 'charging' | 'awaiting-payment' | 'crediting' | 'credited' | 'expired' | 'refunded' | 'failed';

export interface PackPaid {
  /** The Stripe event that reported the payment, for support. */
  eventId: string;
  paymentIntentId: string | null;
}

export interface PurchaseState {
  purchaseId: string;
  step: PurchaseStep;
  checkoutUrl: string | null;
  checkoutSessionId: string | null;
  payment: PackPaid | null;
  grantId: string | null;
  failure: string | null;
  /** Payment reports Stripe did not confirm (unpaid, free, or unknown to Stripe): recorded, not credited. */
  unconfirmedEventIds: string[];
}

export interface TokenPackPurchaseResult {
  step: PurchaseStep;
  grantId: string | null;
}

export type TokenPackPurchaseWorkflow = (input: TokenPackPurchaseInput) => Promise<TokenPackPurchaseResult>;

export interface TokenPackRefundInput {
  purchaseId: string;
  /** The charge.refunded event, for support. */
  eventId: string;
  /** Refunded so far (cumulative) and charged, in cents; absent in runs started before partial refunds: a full refund. */
  refundedCents?: number;
  chargeCents?: number;
}

export type TokenPackRefundWorkflow = (input: TokenPackRefundInput) => Promise<{ clawedBackTokens: number }>;

export const packPaidSignal = defineSignal<[PackPaid]>('packPaid');
export const purchaseStateQuery = defineQuery<PurchaseState>('purchaseState');
/** Update, not query, because the API waits for the URL before it answers the buyer. */
export const checkoutUrlUpdate = defineUpdate<{ checkoutUrl: string | null; step: PurchaseStep }>('checkoutUrl');
