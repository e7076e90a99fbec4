// Opening a token-pack purchase, bounded per brand. Each open purchase costs a workflow and a
// Stripe Checkout Session, so a brand may hold only a few unpaid at once; one whose payment
// window has passed no longer counts, whatever its status says (its workflow is over, or never
// started when Temporal was down).
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuditActor } from '../audit/actor';
import { recordAudit } from '../audit/record';
import { Customer, TokenPack, TokenPackPurchase } from '../entities';
import { AppError } from '../errors';

/** Enough to retry a checkout the browser lost, and to buy two sizes at once. */
export const maxOpenPurchases = 3;

export interface OpenPurchase {
  customerId: string;
  pack: TokenPack;
  /** TOKEN_PACK_PAYMENT_WINDOW: how long a purchase waits for its payment. */
  paymentWindowMs: number;
  actor: AuditActor;
  requestId?: string;
}

/** TOO_MANY_OPEN_PURCHASES at the limit; otherwise the purchase, pending, with its audit entry. */
export async function openPurchase(em: EntityManager, input: OpenPurchase, now = new Date()): Promise<TokenPackPurchase> {
  return em.transactional(async (tx) => {
    // Serialises the brand's opens, so two at once cannot both take the last place.
    await tx.execute('select pg_advisory_xact_lock(hashtextextended(?, 11))', [`open-purchases:${input.customerId}`]);
    const open = await tx.count(TokenPackPurchase, {
      customer: input.customerId,
      status: 'pending',
      createdAt: { $gt: new Date(now.getTime() - input.paymentWindowMs) },
    });
    if (open >= maxOpenPurchases) {
      throw new AppError('TOO_MANY_OPEN_PURCHASES', `This brand has ${open} token-pack purchases waiting for payment. Pay or wait for one of them before starting another.`, {
        open,
        limit: maxOpenPurchases,
      });
    }
    const { pack } = input;
    // The price is copied at purchase time, in integer cents.
    const purchase = tx.create(TokenPackPurchase, { customer: tx.getReference(Customer, input.customerId), pack, tokens: pack.tokens, amountCents: pack.priceCents, currency: pack.currency });
    recordAudit(tx, {
      actor: input.actor,
      customerId: input.customerId,
      action: 'token_pack.purchase_started',
      target: { type: 'token_pack_purchase', id: purchase.id },
      details: { pack: pack.lookupKey, amountCents: pack.priceCents, currency: pack.currency },
      requestId: input.requestId,
    });
    return purchase;
  });
}
