// What Stripe Checkout's return URL says happened, from the billing hash's query:
// `#/billing?checkout=success&plan=<plan>` and `#/billing?checkout=cancelled` (subscriptions),
// `#/billing?purchase=<id>&checkout=success|cancelled` (token packs). The URL only says where
// the buyer clicked: the page still asks the API whether the payment arrived.
import { send } from './api';
import type { Ok, PlanKey } from './types';

export type CheckoutReturn =
  | { kind: 'plan'; plan: PlanKey }
  | { kind: 'pack'; purchaseId: string }
  | { kind: 'cancelled'; purchaseId: string | null };

const plans: readonly string[] = ['starter', 'professional', 'enterprise'];
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Null when the query is not a Checkout return (or names an unknown plan or a malformed id). */
export function checkoutReturnOf(query: URLSearchParams): CheckoutReturn | null {
  const checkout = query.get('checkout');
  const purchase = query.get('purchase');
  const purchaseId = purchase && uuid.test(purchase) ? purchase : null;
  if (purchase && !purchaseId) return null;
  if (checkout === 'cancelled') return { kind: 'cancelled', purchaseId };
  if (checkout !== 'success') return null;
  if (purchaseId) return { kind: 'pack', purchaseId };
  const plan = query.get('plan');
  return plan && plans.includes(plan) ? { kind: 'plan', plan: plan as PlanKey } : null;
}

/** One purchase, to see whether Stripe's payment has been credited yet. */
export const purchaseOf = (id: string) => send<Ok<'getApiBillingTokenPacksId'>>('GET', `/api/billing/token-packs/${encodeURIComponent(id)}`);
