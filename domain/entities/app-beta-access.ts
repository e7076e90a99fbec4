import { EntitySchema, OptionalProps, PrimaryKeyProp } from '@mikro-orm/core';
import { App } from './app';
import { timestamptz } from './common';
import { Customer } from './customer';
import { User } from './user';

/** A brand let into a beta app by an operator: the app's allow-list, one row per brand. */
export class AppBetaAccess {
  declare [PrimaryKeyProp]?: ['app', 'customer'];
  declare [OptionalProps]?: 'grantedBy' | 'createdAt';
  app!: App;
  customer!: Customer;
  /** The operator who let the brand in; null once that user is gone. */
  grantedBy?: User | null;
  createdAt: Date = new Date();
}

export const AppBetaAccessSchema = new EntitySchema<AppBetaAccess>({
  class: AppBetaAccess,
  tableName: 'app_beta_access',
  properties: {
    app: { kind: 'm:1', entity: () => App, primary: true, deleteRule: 'restrict' },
    customer: { kind: 'm:1', entity: () => Customer, primary: true, deleteRule: 'cascade' },
    grantedBy: { kind: 'm:1', entity: () => User, nullable: true, deleteRule: 'set null' },
    createdAt: { ...timestamptz, defaultRaw: 'now()' },
  },
});
