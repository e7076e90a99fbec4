import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { timestamptz } from './common';
import { User } from './user';

/** One login attempt on a known account, kept for the member's own "recent sign-ins". */
export class SignIn {
  declare [OptionalProps]?: 'id' | 'at' | 'userAgent' | 'failureReason';
  id: string = randomUUID();
  user!: User;
  at: Date = new Date();
  ip!: string;
  userAgent?: string | null;
  succeeded!: boolean;
  /** Why a failed attempt failed: wrong_password, account_disabled. */
  failureReason?: string | null;
}

export const SignInSchema = new EntitySchema<SignIn>({
  class: SignIn,
  tableName: 'sign_ins',
  indexes: [{ name: 'sign_ins_user_at', properties: ['user', 'at'] }],
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    user: { kind: 'm:1', entity: () => User, deleteRule: 'cascade' },
    at: { ...timestamptz, defaultRaw: 'now()' },
    ip: { type: 'string', length: 64 },
    userAgent: { type: 'string', length: 500, nullable: true },
    succeeded: { type: 'boolean' },
    failureReason: { type: 'string', length: 40, nullable: true },
  },
});
