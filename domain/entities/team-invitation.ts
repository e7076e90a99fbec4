import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { customerRoles, type CustomerRole } from '../roles';
import { timestamptz } from './common';
import { Customer } from './customer';
import { User } from './user';

/**
 * An admin asked someone to join the brand. Only the SHA-256 of the mailed token is kept, so a
 * read of this table cannot accept an invitation. Removing an invitation deletes the row; an
 * accepted one stays (acceptedAt) so a second use of its link says "used", not "unknown".
 */
export class TeamInvitation {
  declare [OptionalProps]?: 'id' | 'createdAt' | 'acceptedAt' | 'invitedBy';
  id: string = randomUUID();
  customer!: Customer;
  /** Lower-cased, like users.email. */
  email!: string;
  role!: CustomerRole;
  tokenHash!: string;
  invitedBy?: User | null;
  createdAt: Date = new Date();
  expiresAt!: Date;
  acceptedAt?: Date | null;
}

export const TeamInvitationSchema = new EntitySchema<TeamInvitation>({
  class: TeamInvitation,
  tableName: 'team_invitations',
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    customer: { kind: 'm:1', entity: () => Customer, deleteRule: 'cascade', index: true },
    email: { type: 'string', length: 320 },
    role: { enum: true, items: () => customerRoles },
    tokenHash: { type: 'string', length: 64, unique: true },
    invitedBy: { kind: 'm:1', entity: () => User, nullable: true, deleteRule: 'set null' },
    createdAt: { ...timestamptz, defaultRaw: 'now()' },
    expiresAt: { ...timestamptz },
    acceptedAt: { ...timestamptz, nullable: true },
  },
});
