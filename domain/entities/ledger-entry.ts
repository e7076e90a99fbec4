import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { App } from './app';
import { bigintNumber, timestamptz } from './common';
import { Customer } from './customer';
import { TokenGrant } from './token-grant';
import { User } from './user';

export const ledgerKinds = ['grant', 'usage', 'refund', 'expiry', 'clawback', 'adjustment'] as const;
export type LedgerKind = (typeof ledgerKinds)[number];

/**
 * One movement of tokens: positive credits, negative debits. Append-only (a trigger refuses
 * UPDATE and DELETE); a correction is a new entry. The operation key is the idempotency key:
 * one operation writes at most one entry per grant. Uses are entered per reconciled batch, app
 * and grant (`usage-batch:<seq>:<appId>`, with how many uses it sums), not per use: token_usage
 * keeps each use.
 */
export class LedgerEntry {
  declare [OptionalProps]?: 'id' | 'createdAt';
  id!: string;
  customer!: Customer;
  grant?: TokenGrant;
  kind!: LedgerKind;
  amountTokens!: number;
  operationKey!: string;
  app?: App;
  /** Uses a `usage` entry sums; null on entries of one operation (older `usage:<usageId>` ones included). */
  uses?: number;
  reason?: string;
  actor?: User;
  createdAt: Date = new Date();
}

export const LedgerEntrySchema = new EntitySchema<LedgerEntry>({
  class: LedgerEntry,
  tableName: 'ledger_entries',
  indexes: [{ properties: ['customer', 'createdAt'] }],
  uniques: [
    {
      name: 'ledger_entries_operation_once',
      expression: 'create unique index "ledger_entries_operation_once" on "ledger_entries" ("customer_id", "operation_key", "grant_id") nulls not distinct',
    },
  ],
  checks: [
    { name: 'ledger_entries_amount_tokens_check', expression: 'amount_tokens <> 0' },
    // Credits are positive and debits negative, so a sign error cannot mint tokens.
    {
      name: 'ledger_entries_sign_by_kind',
      // Written as PostgreSQL prints it back, so the schema diff sees no change.
      expression:
        "((kind = ANY (ARRAY['grant'::text, 'refund'::text])) AND (amount_tokens > 0)) OR ((kind = ANY (ARRAY['usage'::text, 'expiry'::text, 'clawback'::text])) AND (amount_tokens < 0)) OR (kind = 'adjustment'::text)",
    },
    { name: 'ledger_entries_adjustment_has_reason', expression: "kind <> 'adjustment' or reason is not null" },
    { name: 'ledger_entries_uses_of_usage', expression: "uses IS NULL OR ((kind = 'usage'::text) AND (uses > 0))" },
  ],
  properties: {
    id: { type: 'bigint', primary: true, autoincrement: true },
    customer: { kind: 'm:1', entity: () => Customer, deleteRule: 'restrict' },
    grant: { kind: 'm:1', entity: () => TokenGrant, nullable: true, deleteRule: 'restrict', index: true },
    kind: { enum: true, items: () => ledgerKinds },
    amountTokens: { type: bigintNumber() },
    operationKey: { type: 'string', length: 300 },
    app: { kind: 'm:1', entity: () => App, nullable: true, deleteRule: 'restrict' },
    uses: { type: 'integer', nullable: true },
    reason: { type: 'text', nullable: true },
    actor: { kind: 'm:1', entity: () => User, nullable: true, deleteRule: 'set null' },
    createdAt: { ...timestamptz, defaultRaw: 'now()' },
  },
});
