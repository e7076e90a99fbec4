// The shapes of the team and account routes, shared by their route modules.
import { z } from 'zod';
import type { SignIn, TeamInvitation, User } from '../../domain/entities';

export const teamMemberSchema = z
  .object({
    id: z.uuid(),
    email: z.email(),
    name: z.string(),
    role: z.enum(['admin', 'manager', 'viewer']),
    disabled: z.boolean(),
    createdAt: z.string(),
    lastLoginAt: z.string().nullable(),
  })
  .meta({ id: 'TeamMember' });

export const invitationSchema = z
  .object({
    id: z.uuid(),
    email: z.email(),
    role: z.enum(['admin', 'manager', 'viewer']),
    createdAt: z.string(),
    expiresAt: z.string(),
    expired: z.boolean().meta({ description: 'Past its 72 hours: the link no longer works; invite again to send a new one.' }),
  })
  .meta({ id: 'TeamInvitation' });

export const signInSchema = z
  .object({
    at: z.string(),
    ip: z.string(),
    userAgent: z.string().nullable(),
    succeeded: z.boolean(),
    failureReason: z.enum(['wrong_password', 'account_disabled']).nullable(),
  })
  .meta({ id: 'SignIn' });

export const memberView = (u: User): z.infer<typeof teamMemberSchema> => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role as 'admin' | 'manager' | 'viewer',
  disabled: !!u.disabledAt,
  createdAt: u.createdAt.toISOString(),
  lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
});

export const invitationView = (i: TeamInvitation, now = new Date()): z.infer<typeof invitationSchema> => ({
  id: i.id,
  email: i.email,
  role: i.role,
  createdAt: i.createdAt.toISOString(),
  expiresAt: i.expiresAt.toISOString(),
  expired: i.expiresAt <= now,
});

export const signInView = (s: SignIn): z.infer<typeof signInSchema> => ({
  at: s.at.toISOString(),
  ip: s.ip,
  userAgent: s.userAgent ?? null,
  succeeded: s.succeeded,
  failureReason: (s.failureReason as 'wrong_password' | 'account_disabled' | null) ?? null,
});
