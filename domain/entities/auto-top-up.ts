import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { bigintNumber, timestamptz } from './common';
import { Customer } from './customer';
import { TokenPackPurchase } from './token-pack-purchase';

/**
 * One purchase auto top-up started: the crossing that triggered it (`triggerKey`, unique per
 * brand, so a retried start finds it), the balance then, and its payment attempts. The month's
 * count against the cap is read from these rows.
 */
export class AutoTopUp {
  declare [OptionalProps]?: 'attempts' | 'createdAt';
  purchase!: TokenPackPurchase;
  customer!: Customer;
  triggerKey!: string;
  balanceTokens!: number;
  thresholdTokens!: number;
  /** Off-session payment attempts made (at most 2). */
  attempts = 0;
  /** Stripe's code for the last declined attempt (card_declined…). */
  declineCode?: string | null;
  createdAt: Date = new Date();
}

export const AutoTopUpSchema = new EntitySchema<AutoTopUp>({
  class: AutoTopUp,
  tableName: 'auto_top_ups',
  uniques: [{ name: 'auto_top_ups_customer_trigger_unique', properties: ['customer', 'triggerKey'] }],
  properties: {
    purchase: { kind: '1:1', entity: () => TokenPackPurchase, primary: true, owner: true, deleteRule: 'cascade' },
    customer: { kind: 'm:1', entity: () => Customer, deleteRule: 'cascade' },
    triggerKey: { type: 'string', length: 200 },
    balanceTokens: { type: bigintNumber() },
    thresholdTokens: { type: bigintNumber() },
    attempts: { type: 'integer', default: 0 },
    declineCode: { type: 'string', length: 100, nullable: true },
    createdAt: { ...timestamptz, defaultRaw: 'now()' },
  },
  indexes: [{ name: 'auto_top_ups_customer_created_index', properties: ['customer', 'createdAt'] }],
});
