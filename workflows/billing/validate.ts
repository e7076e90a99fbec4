// Update validator: a malformed message is rejected before it enters the history, so a bad
// caller cannot leave a failed update in the customer's billing record.
import { isPlanKey } from '../../domain/billing/vocabulary';
import type { BillingMessage } from './messages';

export function validateBillingMessage(message: BillingMessage): void {
  if (!message || typeof message.id !== 'string' || message.id.length === 0 || message.id.length > 255) throw new Error('a billing message needs an id of 1–255 characters');
  const r = message.request;
  switch (r?.kind) {
    case 'subscription':
      if (!r.snapshot || typeof r.snapshot.subscriptionId !== 'string') throw new Error('a subscription message needs a snapshot with a subscriptionId');
      return;
    case 'invoice-paid':
    case 'invoice-payment-failed':
      if (typeof r.invoiceId !== 'string' || !r.invoiceId) throw new Error('an invoice message needs an invoiceId');
      return;
    case 'pack-credited':
      if (typeof r.purchaseId !== 'string' || !r.purchaseId || !Number.isSafeInteger(r.tokens) || r.tokens <= 0) throw new Error('a pack credit needs a purchaseId and a positive whole number of tokens');
      return;
    case 'choose-plan':
      if (!isPlanKey(r.plan)) throw new Error(`unknown plan ${String(r.plan)}`);
      return;
    case 'cancel':
    case 'resume':
      return;
    case 'set-alert-thresholds':
      if (!Array.isArray(r.thresholds) || r.thresholds.some((t) => !Number.isInteger(t) || t < 1 || t > 100)) throw new Error('thresholds are whole percentages 1–100');
      return;
    case 'auto-top-up':
      if (typeof r.enabled !== 'boolean' || (r.enabled && (!Number.isSafeInteger(r.thresholdTokens) || (r.thresholdTokens ?? 0) <= 0))) throw new Error('auto top-up needs enabled, and a positive whole threshold when enabled');
      return;
    default:
      throw new Error(`unknown billing request ${String((r as { kind?: unknown } | undefined)?.kind)}`);
  }
}
