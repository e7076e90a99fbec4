import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { bigintNumber, timestamptz } from './common';
import { Customer } from './customer';
import { TokenPack } from './token-pack';
import { User } from './user';

/**
 * A brand's auto top-up choice: buy `pack` with the saved card when the balance falls below
 * `thresholdTokens`, at most `monthlyCap` times a calendar month (UTC). `consent*` say which
 * wording an admin agreed to, who and when; the row is kept when it is turned off, so the last
 * consent and `disabledReason` stay readable.
 */
export class AutoTopUpSetting {
  declare [OptionalProps]?: 'enabled' | 'updatedAt';
  customer!: Customer;
  enabled = false;
  pack!: TokenPack;
  thresholdTokens!: number;
  monthlyCap!: number;
  /** The card the consent names, resolved from Stripe when it was given. */
  paymentMethodId?: string | null;
  /** How the portal names it ("Visa ending 4242"). */
  paymentMethodLabel?: string | null;
  consentVersion?: string | null;
  consentedAt?: Date | null;
  consentedBy?: User | null;
  /** Why the product turned it off (two declined attempts); cleared when an admin turns it on again. */
  disabledReason?: string | null;
  disabledAt?: Date | null;
  updatedAt: Date = new Date();
}

export const AutoTopUpSettingSchema = new EntitySchema<AutoTopUpSetting>({
  class: AutoTopUpSetting,
  tableName: 'auto_top_up_settings',
  checks: [
    { name: 'auto_top_up_settings_threshold_check', expression: 'threshold_tokens > 0' },
    { name: 'auto_top_up_settings_cap_check', expression: 'monthly_cap >= 1 and monthly_cap <= 20' },
  ],
  properties: {
    customer: { kind: '1:1', entity: () => Customer, primary: true, owner: true, deleteRule: 'cascade' },
    enabled: { type: 'boolean', default: false },
    pack: { kind: 'm:1', entity: () => TokenPack, deleteRule: 'restrict' },
    thresholdTokens: { type: bigintNumber() },
    monthlyCap: { type: 'integer' },
    paymentMethodId: { type: 'string', length: 255, nullable: true },
    paymentMethodLabel: { type: 'string', length: 120, nullable: true },
    consentVersion: { type: 'string', length: 64, nullable: true },
    consentedAt: { ...timestamptz, nullable: true },
    consentedBy: { kind: 'm:1', entity: () => User, nullable: true, deleteRule: 'set null' },
    disabledReason: { type: 'string', length: 500, nullable: true },
    disabledAt: { ...timestamptz, nullable: true },
    updatedAt: { ...timestamptz, defaultRaw: 'now()', onUpdate: () => new Date() },
  },
});
