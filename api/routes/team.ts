import { z } from 'zod';
import { User } from '../../domain/entities';
import { addTeamMember } from '../../domain/auth/accounts';
import { customerRoles } from '../../domain/roles';
import { email, errorSchema, newPassword, userSchema } from '../schemas/common';
import { defineRoute } from '../route';
import { customerIdOf } from '../scope';
import { userView } from '../session';

const memberBody = z.object({ email, name: z.string().trim().min(1).max(200), role: z.enum(customerRoles), password: newPassword });

export const teamRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/team',
    summary: "Lists the staff of the logged-in user's brand",
    tag: 'team',
    access: 'read',
    responses: {
      200: { description: 'Members, by email', schema: z.object({ members: z.array(userSchema) }) },
      403: { description: 'FORBIDDEN for an operator (no brand)', schema: errorSchema },
    },
    async handler(ctx, _input, deps) {
      const members = await deps.orm.em.fork().find(User, { customer: customerIdOf(ctx) }, { populate: ['customer'], orderBy: { email: 'asc' } });
      ctx.body = { members: members.map(userView) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/team',
    summary: 'Adds a staff member to the brand (admin only)',
    tag: 'team',
    access: 'administer',
    body: memberBody,
    responses: {
      201: { description: 'Added', schema: z.object({ member: userSchema }) },
      403: { description: 'FORBIDDEN unless admin', schema: errorSchema },
      409: { description: 'EMAIL_TAKEN', schema: errorSchema },
      422: { description: 'VALIDATION_FAILED', schema: errorSchema },
    },
    async handler(ctx, { body }, deps) {
      const em = deps.orm.em.fork();
      const user = await addTeamMember(em, deps.passwords, customerIdOf(ctx), ctx.state.auth!.id, body, ctx.state.requestId);
      await em.populate(user, ['customer']);
      ctx.status = 201;
      ctx.body = { member: userView(user) };
    },
  }),
];
