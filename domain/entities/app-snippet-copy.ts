import { EntitySchema, OptionalProps, PrimaryKeyProp } from '@mikro-orm/core';
import { App } from './app';
import { timestamptz } from './common';
import { Customer } from './customer';
import { User } from './user';

/**
 * A brand's staff copied an app's embed snippet: the onboarding step "copy the snippet". One row
 * per brand and app, kept from the first copy (a repeat changes nothing), so the checklist can
 * say when it happened.
 */
export class AppSnippetCopy {
  declare [PrimaryKeyProp]?: ['customer', 'app'];
  declare [OptionalProps]?: 'copiedBy' | 'createdAt';
  customer!: Customer;
  app!: App;
  /** Who copied it first; null once that user is gone. */
  copiedBy?: User | null;
  createdAt: Date = new Date();
}

export const AppSnippetCopySchema = new EntitySchema<AppSnippetCopy>({
  class: AppSnippetCopy,
  tableName: 'app_snippet_copies',
  properties: {
    customer: { kind: 'm:1', entity: () => Customer, primary: true, deleteRule: 'cascade' },
    app: { kind: 'm:1', entity: () => App, primary: true, deleteRule: 'restrict' },
    copiedBy: { kind: 'm:1', entity: () => User, nullable: true, deleteRule: 'set null' },
    createdAt: { ...timestamptz, defaultRaw: 'now()' },
  },
});
