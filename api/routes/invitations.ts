// The invitee's side of an invitation: public, because they have no account yet. The link's
// token is the credential: 32 random bytes, so it cannot be guessed, and it works once.
import { z } from 'zod';
import { recordAudit } from '../../domain/audit/record';
import { recordSignIn } from '../../domain/auth/sign-ins';
import { acceptInvitation, usableInvitation } from '../../domain/team/invitations';
import { defineRoute } from '../route';
import { errorSchema, newPassword, userSchema } from '../schemas/common';
import { setSessionCookie, userView } from '../session';

const tokenParams = z.object({ token: z.string().min(1).max(200) });
// The name is optional: the link's contract is a password and "Set password". Without one, the
// member is known by their email's local part until they say otherwise.
const acceptBody = z.object({ name: z.string().trim().max(200).optional(), password: newPassword });

const unusable = {
  404: { description: 'INVITATION_NOT_FOUND: unknown or removed link', schema: errorSchema },
  410: { description: 'INVITATION_USED or INVITATION_EXPIRED', schema: errorSchema },
};

export const invitationRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/invitations/:token',
    summary: 'What an invitation link is for: the brand, the email and the role',
    tag: 'team',
    access: 'public',
    params: tokenParams,
    responses: {
      200: {
        description: 'The invitation can be accepted',
        schema: z.object({ invitation: z.object({ email: z.email(), role: z.enum(['admin', 'manager', 'viewer']), brandName: z.string(), expiresAt: z.string() }) }),
      },
      ...unusable,
    },
    async handler(ctx, { params }, deps) {
      const i = await usableInvitation(deps.orm.em.fork(), params.token);
      ctx.body = { invitation: { email: i.email, role: i.role, brandName: i.customer.name, expiresAt: i.expiresAt.toISOString() } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/invitations/:token/accept',
    summary: 'Accepts an invitation: creates the member with their own password and logs them in',
    tag: 'team',
    access: 'public',
    // Only the portal's invite page calls it, and it opens a session: same-origin proof required,
    // unlike login and sign-up, which scripts may call too.
    sameOrigin: 'required',
    params: tokenParams,
    body: acceptBody,
    responses: {
      201: { description: 'Joined and logged in (session cookie set)', schema: z.object({ user: userSchema }) },
      403: { description: 'CROSS_SITE_REQUEST: not sent from the portal itself', schema: errorSchema },
      ...unusable,
      409: { description: 'EMAIL_TAKEN: the email got an account since the invitation was sent', schema: errorSchema },
      422: { description: 'VALIDATION_FAILED', schema: errorSchema },
    },
    async handler(ctx, { params, body }, deps) {
      const passwordHash = await deps.passwords.hash(body.password);
      const em = deps.orm.em.fork();
      const user = await em.transactional(async (tx) => {
        const created = await acceptInvitation(tx, params.token, { name: body.name || undefined, passwordHash });
        created.lastLoginAt = new Date();
        recordAudit(tx, { actor: { kind: 'user', userId: created.id }, customerId: created.customer!.id, action: 'team.invitation_accepted', target: { type: 'user', id: created.id }, details: { role: created.role }, requestId: ctx.state.requestId });
        recordSignIn(tx, created.id, { ip: ctx.ip, userAgent: ctx.get('User-Agent'), succeeded: true });
        return created;
      });
      setSessionCookie(ctx, deps, await deps.sessions.create(user.id));
      ctx.status = 201;
      ctx.body = { user: userView(user) };
    },
  }),
];
