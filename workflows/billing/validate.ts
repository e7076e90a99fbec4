// Update validator: a malformed message is rejected before it enters the history, so a bad
// caller cannot leave a failed update in the customer's billing record.
import { isPlanKey } from '../../domain/billing/vocabulary';
import type { BillingMessage, OperatorRequest } from './messages';

const reasonCodes = ['service_issue', 'sales_concession', 'billing_error', 'fraud', 'other'];
const text = (v: unknown, max: number) => typeof v === 'string' && v.trim().length > 0 && v.length <= max;

function validateOperatorRequest(r: OperatorRequest): void {
  if (typeof r.actorId !== 'string' || !r.actorId) throw new Error('an operator request names its operator (actorId)');
  if (r.kind === 'adjustment') {
    if (!Number.isSafeInteger(r.tokens) || r.tokens === 0) throw new Error('an adjustment is a non-zero whole number of tokens');
    if (!reasonCodes.includes(r.reasonCode)) throw new Error(`unknown adjustment reason ${String(r.reasonCode)}`);
    if (r.reasonCode === 'other' && !text(r.note, 1000)) throw new Error('reason other needs a note');
    return;
  }
  if (!text(r.reason, 1000)) throw new Error('an operator request needs a reason');
  if (r.kind === 'extend-grace' && (!Number.isInteger(r.days) || r.days < 1 || r.days > 30)) throw new Error('a grace extension is 1–30 whole days');
}

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
    case 'adjustment':
    case 'extend-grace':
    case 'suspend':
    case 'unsuspend':
      return validateOperatorRequest(r);
    default:
      throw new Error(`unknown billing request ${String((r as { kind?: unknown } | undefined)?.kind)}`);
  }
}
