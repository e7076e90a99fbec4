// A brand's auto top-up settings: what the Billing page shows (with the month's count against
// the cap), the checks before an admin may turn it on, and the writes. The billing workflow
// decides when the balance crosses the threshold; this row decides whether a crossing buys.
import type { EntityManager } from '@mikro-orm/postgresql';
import type Stripe from 'stripe';
import { recordAudit, type AuditEntry } from '../audit/record';
import { AutoTopUpSetting, Customer, CustomerBilling, TokenPack, User } from '../entities';
import { AppError } from '../errors';
import { autoTopUpConsentText, autoTopUpConsentVersion, monthStartUtc, type AutoTopUpPack } from './auto-top-up';
import { savedPaymentMethod, type SavedPaymentMethod } from './saved-payment-method';

export interface AutoTopUpView {
  enabled: boolean;
  packId: string | null;
  thresholdTokens: number | null;
  monthlyCap: number | null;
  usedThisMonth: number;
  consentText: string;
  consentVersion: string;
  consentedAt: string | null;
  consentedBy: { userId: string; name: string } | null;
  paymentMethod: string | null;
  disabledReason: string | null;
  disabledAt: string | null;
}

/** Purchases auto top-up started this calendar month (UTC) and that did not fail: what the cap counts. */
export async function autoTopUpsThisMonth(em: EntityManager, customerId: string, now: Date): Promise<number> {
  // em.execute, so a caller's transaction (and its advisory lock) covers the count.
  const [row] = await em.execute<{ n: string }[]>(
    `select count(*) as n from auto_top_ups a join token_pack_purchases p on p.id = a.purchase_id
      where a.customer_id = ? and a.created_at >= ? and p.status not in ('failed', 'expired')`,
    [customerId, monthStartUtc(now)],
  );
  return Number(row?.n ?? 0);
}

export async function autoTopUpView(em: EntityManager, customerId: string, now: Date): Promise<AutoTopUpView> {
  const s = await em.findOne(AutoTopUpSetting, { customer: customerId }, { populate: ['pack', 'consentedBy'] });
  return {
    enabled: s?.enabled ?? false,
    packId: s?.pack.lookupKey ?? null,
    thresholdTokens: s?.thresholdTokens ?? null,
    monthlyCap: s?.monthlyCap ?? null,
    usedThisMonth: await autoTopUpsThisMonth(em, customerId, now),
    consentText: autoTopUpConsentText,
    consentVersion: autoTopUpConsentVersion,
    consentedAt: s?.consentedAt?.toISOString() ?? null,
    consentedBy: s?.consentedBy ? { userId: s.consentedBy.id, name: s.consentedBy.name } : null,
    paymentMethod: s?.paymentMethodLabel ?? null,
    disabledReason: s?.disabledReason ?? null,
    disabledAt: s?.disabledAt?.toISOString() ?? null,
  };
}

const onEnabled = (message: string) => ({ fields: [{ path: 'body.enabled', message }] });

/**
 * What must hold before auto top-up may be turned on: a plan with an allowance (an unlimited
 * brand has nothing to top up; a brand without a plan has no cycle for the workflow to watch)
 * and a card Stripe holds for the brand. Answers that card.
 */
export async function assertAutoTopUpPossible(em: EntityManager, stripe: Stripe, customerId: string): Promise<SavedPaymentMethod> {
  const billing = await em.findOne(CustomerBilling, { customer: customerId }, { populate: ['plan'] });
  if (!billing?.plan || billing.status === 'canceled') {
    throw new AppError('AUTO_TOP_UP_NO_PLAN', 'Auto top-up needs a current plan: choose a plan first.', onEnabled('Choose a plan before turning auto top-up on.'));
  }
  if (billing.plan.allowanceTokens === null) {
    throw new AppError('AUTO_TOP_UP_UNLIMITED', `The ${billing.plan.name} plan has unlimited tokens, so there is nothing to top up.`, onEnabled('Unlimited plans do not need auto top-up.'));
  }
  const customer = await em.findOneOrFail(Customer, customerId);
  const card = await savedPaymentMethod(stripe, customer.stripeCustomerId);
  if (!card) {
    throw new AppError('NO_PAYMENT_METHOD', 'Stripe holds no saved card for this brand. Add one in the billing portal, then turn auto top-up on.', onEnabled('No saved payment method.'));
  }
  return card;
}

export interface EnableAutoTopUp {
  packId: AutoTopUpPack;
  thresholdTokens: number;
  monthlyCap: number;
  card: SavedPaymentMethod;
  /** The admin who consented. */
  userId: string;
}

type Audit = Omit<AuditEntry, 'action' | 'details' | 'target' | 'customerId'>;

/** Turns auto top-up on with this consent (clearing any earlier reason it was turned off), audited in the same commit. */
export async function enableAutoTopUp(em: EntityManager, customerId: string, input: EnableAutoTopUp, audit: Audit, now: Date): Promise<void> {
  await em.transactional(async (tx) => {
    const pack = await tx.findOneOrFail(TokenPack, { lookupKey: input.packId });
    const fields = {
      enabled: true,
      pack,
      thresholdTokens: input.thresholdTokens,
      monthlyCap: input.monthlyCap,
      paymentMethodId: input.card.id,
      paymentMethodLabel: input.card.label,
      consentVersion: autoTopUpConsentVersion,
      consentedAt: now,
      consentedBy: tx.getReference(User, input.userId),
      disabledReason: null,
      disabledAt: null,
    };
    const existing = await tx.findOne(AutoTopUpSetting, { customer: customerId });
    if (existing) tx.assign(existing, fields);
    else tx.create(AutoTopUpSetting, { customer: tx.getReference(Customer, customerId), ...fields });
    recordAudit(tx, {
      ...audit,
      customerId,
      action: 'billing.auto_top_up_enabled',
      target: { type: 'auto_top_up', id: customerId },
      details: { pack: input.packId, thresholdTokens: input.thresholdTokens, monthlyCap: input.monthlyCap, consentVersion: autoTopUpConsentVersion, paymentMethod: input.card.label },
    });
  });
}

/** Turns it off (an admin, or the product after two declines); the consent and settings stay for the record. */
export async function disableAutoTopUp(em: EntityManager, customerId: string, reason: string | null, audit: Audit, now: Date): Promise<boolean> {
  return em.transactional(async (tx) => {
    const s = await tx.findOne(AutoTopUpSetting, { customer: customerId });
    if (!s?.enabled) return false;
    tx.assign(s, { enabled: false, disabledReason: reason, disabledAt: now });
    recordAudit(tx, { ...audit, customerId, action: 'billing.auto_top_up_disabled', target: { type: 'auto_top_up', id: customerId }, details: reason ? { reason } : {} });
    return true;
  });
}
