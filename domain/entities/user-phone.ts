import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { timestamptz } from './common';
import { User } from './user';

/**
 * A user's phone for SMS notices. `phone` is the verified number (null until a code is
 * confirmed); `pendingPhone` waits for its code, kept only as a hash, until `codeExpiresAt`.
 */
export class UserPhone {
  declare [OptionalProps]?: 'codeAttempts' | 'updatedAt';
  user!: User;
  phone?: string | null;
  verifiedAt?: Date | null;
  pendingPhone?: string | null;
  codeHash?: string | null;
  codeExpiresAt?: Date | null;
  /** Wrong codes tried against the pending code; past the limit the code is cleared. */
  codeAttempts = 0;
  updatedAt: Date = new Date();
}

export const UserPhoneSchema = new EntitySchema<UserPhone>({
  class: UserPhone,
  tableName: 'user_phones',
  properties: {
    user: { kind: '1:1', entity: () => User, primary: true, owner: true, deleteRule: 'cascade' },
    phone: { type: 'string', length: 16, nullable: true },
    verifiedAt: { ...timestamptz, nullable: true },
    pendingPhone: { type: 'string', length: 16, nullable: true },
    codeHash: { type: 'string', length: 64, nullable: true },
    codeExpiresAt: { ...timestamptz, nullable: true },
    codeAttempts: { type: 'integer', default: 0 },
    updatedAt: { ...timestamptz, defaultRaw: 'now()' },
  },
});
