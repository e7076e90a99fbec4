// The brand's staff: the list, invitations, role changes, disabling. Members join only through
// an invitation they accept themselves (api/routes/invitations.ts): no route sets someone
// else's password.
import { z } from 'zod';
import { User } from '../../domain/entities';
import { createInvitation, pendingInvitations, removeInvitation } from '../../domain/team/invitations';
import { invitationMail } from '../../domain/team/invitation-mail';
import { changeRole, setDisabled, type MemberChange } from '../../domain/team/members';
import { customerRoles } from '../../domain/roles';
import { recordRouteAudit } from '../audit';
import { raiseSecurityNotice, type SecurityEvent } from '../security-notice';
import type { Deps } from '../deps';
import { defineRoute } from '../route';
import { email, errorSchema } from '../schemas/common';
import { invitationSchema, invitationView, memberView, teamMemberSchema } from '../schemas/team';
import { customerIdOf } from '../scope';
import type { AppContext } from '../state';

const idParams = z.object({ id: z.uuid('Use a member or invitation id.') });
const inviteBody = z.object({ email, role: z.enum(customerRoles) });
const roleBody = z.object({ role: z.enum(customerRoles) });
const memberResponse = z.object({ member: teamMemberSchema });

/** A mail server that takes connections but never answers must not hold the admin's request. */
const mailTimeoutMs = 10_000;

async function mailInvitation(ctx: AppContext, deps: Deps, message: ReturnType<typeof invitationMail>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('mail timed out')), mailTimeoutMs)));
  try {
    await Promise.race([deps.mailer.send(message), timeout]);
    return true;
  } catch (err) {
    // The invitation stands: the admin sees mailed=false and can invite again to resend.
    ctx.state.log.warn({ err }, 'invitation mail not sent');
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** What the brand's staff are told of a member change, in the admin's words. */
function memberChangeNotice(ctx: AppContext, r: MemberChange & { action: string }): SecurityEvent {
  const by = ctx.state.auth!.email;
  const who = r.member.email;
  const what =
    r.action === 'team.member_disabled' ? `${by} disabled ${who}: their sessions ended and they can no longer sign in.`
    : r.action === 'team.member_enabled' ? `${by} enabled ${who} again: they can sign in.`
    : `${by} changed ${who}'s role from ${r.before!.role} to ${r.member.role}.`;
  return { customerId: customerIdOf(ctx), kind: `security.${r.action.replace('team.', '')}`, subject: `Team change: ${who}`, text: `${what}\n\nIf you did not expect this, review the team and the audit log in the portal.` };
}

/** Disable, enable and role change share their shape: change, audit, answer the member. */
function memberRoute(path: string, summary: string, change: (tx: Parameters<typeof changeRole>[0], ctx: AppContext, id: string, body: { role?: (typeof customerRoles)[number] }) => Promise<MemberChange & { action: string }>, method: 'post' | 'patch' = 'post', body?: typeof roleBody) {
  return defineRoute({
    method,
    path,
    summary,
    tag: 'team',
    access: 'administer',
    params: idParams,
    body,
    responses: {
      200: { description: 'The member as it is now (unchanged if it already was so)', schema: memberResponse },
      403: { description: 'FORBIDDEN unless admin', schema: errorSchema },
      404: { description: 'MEMBER_NOT_FOUND: no such member in your brand', schema: errorSchema },
      409: { description: 'LAST_ADMIN: the only active admin cannot be demoted or disabled', schema: errorSchema },
      422: { description: 'VALIDATION_FAILED', schema: errorSchema },
    },
    async handler(ctx, input, deps) {
      const em = deps.orm.em.fork();
      const result = await em.transactional(async (tx) => {
        const r = await change(tx, ctx, input.params.id, (input.body ?? {}) as { role?: (typeof customerRoles)[number] });
        if (r.before) recordRouteAudit(ctx, tx, { action: r.action, target: { type: 'user', id: r.member.id }, details: { before: r.before, role: r.member.role, disabled: !!r.member.disabledAt } });
        return r;
      });
      // After the commit, so a new login cannot slip in between; api/session.ts also refuses a
      // disabled user on every request, whatever happens here.
      if (result.member.disabledAt) await deps.sessions.endAllOf(result.member.id);
      if (result.before) await raiseSecurityNotice(deps, memberChangeNotice(ctx, result));
      ctx.body = { member: memberView(result.member) };
    },
  });
}

export const teamRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/team',
    summary: "Lists the staff of the logged-in user's brand and its pending invitations",
    tag: 'team',
    access: 'read',
    responses: {
      200: { description: 'Members by email; pending invitations newest first', schema: z.object({ members: z.array(teamMemberSchema), invitations: z.array(invitationSchema) }) },
      403: { description: 'FORBIDDEN for an operator (no brand)', schema: errorSchema },
    },
    async handler(ctx, _input, deps) {
      const em = deps.orm.em.fork();
      const customerId = customerIdOf(ctx);
      const members = await em.find(User, { customer: customerId }, { orderBy: { email: 'asc' } });
      const invitations = await pendingInvitations(em, customerId);
      ctx.body = { members: members.map(memberView), invitations: invitations.map((i) => invitationView(i)) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/team/invitations',
    summary: 'Invites someone by email with a role: mails a one-time link, valid 72 hours (admin only)',
    tag: 'team',
    access: 'administer',
    body: inviteBody,
    responses: {
      201: { description: 'Invited. mailed=false: the mail could not be sent; invite again to resend', schema: z.object({ invitation: invitationSchema, mailed: z.boolean() }) },
      403: { description: 'FORBIDDEN unless admin', schema: errorSchema },
      409: { description: 'EMAIL_TAKEN: this email already has an account', schema: errorSchema },
      422: { description: 'VALIDATION_FAILED', schema: errorSchema },
    },
    async handler(ctx, { body }, deps) {
      const auth = ctx.state.auth!;
      const customerId = customerIdOf(ctx);
      const em = deps.orm.em.fork();
      const { invitation, token } = await em.transactional(async (tx) => {
        const created = await createInvitation(tx, customerId, auth.id, body);
        recordRouteAudit(ctx, tx, { action: 'team.invitation_sent', target: { type: 'invitation', id: created.invitation.id }, details: { email: body.email, role: body.role } });
        return created;
      });
      const message = invitationMail({ to: body.email, brandName: auth.customerName ?? 'your brand', inviterName: auth.name, role: body.role, token, publicUrl: deps.config.api.publicUrl, expiresAt: invitation.expiresAt });
      const mailed = await mailInvitation(ctx, deps, message);
      ctx.status = 201;
      ctx.body = { invitation: invitationView(invitation), mailed };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/api/team/invitations/:id',
    summary: 'Removes a pending invitation; its link stops working (admin only)',
    tag: 'team',
    access: 'administer',
    params: idParams,
    responses: {
      204: { description: 'Removed' },
      403: { description: 'FORBIDDEN unless admin', schema: errorSchema },
      404: { description: 'INVITATION_NOT_FOUND: no pending invitation with this id in your brand', schema: errorSchema },
      422: { description: 'VALIDATION_FAILED', schema: errorSchema },
    },
    async handler(ctx, { params }, deps) {
      const customerId = customerIdOf(ctx);
      await deps.orm.em.fork().transactional(async (tx) => {
        const removed = await removeInvitation(tx, customerId, params.id);
        recordRouteAudit(ctx, tx, { action: 'team.invitation_removed', target: { type: 'invitation', id: removed.id }, details: { email: removed.email } });
      });
      ctx.status = 204;
    },
  }),
  memberRoute(
    '/api/team/members/:id',
    "Changes a member's role (admin only)",
    async (tx, ctx, id, body) => ({ ...(await changeRole(tx, customerIdOf(ctx), id, body.role!)), action: 'team.member_role_changed' }),
    'patch',
    roleBody,
  ),
  memberRoute('/api/team/members/:id/disable', 'Disables a member: their sessions end at once and their logins are refused (admin only)', async (tx, ctx, id) => ({
    ...(await setDisabled(tx, customerIdOf(ctx), id, true)),
    action: 'team.member_disabled',
  })),
  memberRoute('/api/team/members/:id/enable', 'Enables a disabled member again (admin only)', async (tx, ctx, id) => ({
    ...(await setDisabled(tx, customerIdOf(ctx), id, false)),
    action: 'team.member_enabled',
  })),
];
