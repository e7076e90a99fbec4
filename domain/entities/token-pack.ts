import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import type { Currency } from '../units';
import { bigintNumber } from './common';

/** A one-off bundle of tokens; its credits never expire. */
export class TokenPack {
  declare [OptionalProps]?: 'id' | 'currency';
  id: string = randomUUID();
  lookupKey!: string;
  name!: string;
  tokens!: number;
  priceCents!: number;
  currency: Currency = 'usd';
  stripePriceId?: string;
}

export const TokenPackSchema = new EntitySchema<TokenPack>({
  class: TokenPack,
  tableName: 'token_packs',
  checks: [
    { name: 'token_packs_tokens_check', expression: 'tokens > 0' },
    { name: 'token_packs_price_cents_check', expression: 'price_cents >= 0' },
  ],
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    lookupKey: { type: 'string', length: 64, unique: true },
    name: { type: 'string', length: 120 },
    tokens: { type: bigintNumber() },
    priceCents: { type: bigintNumber() },
    currency: { type: 'string', length: 3, default: 'usd' },
    stripePriceId: { type: 'string', length: 255, nullable: true },
  },
});
