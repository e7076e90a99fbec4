// Erasure on request (domain/privacy/erasure.ts), by VARAi operators only: one staff member, or a
// whole brand. After the commit, the erased people's sessions end and a brand's revoked keys
// leave every process's key cache, so nothing keeps working under the old identity.
import { z } from 'zod';
import { eraseBrand, eraseUser, type UserErasure } from '../../domain/privacy/erasure';
import type { Deps } from '../deps';
import { defineRoute } from '../route';
import { errorSchema } from '../schemas/common';

const body = z.object({ reason: z.string().trim().min(1, 'say why: the request it answers').max(500) });

const forbidden = { description: 'FORBIDDEN for anyone but an operator', schema: errorSchema };
const invalid = { description: 'VALIDATION_FAILED: a bad id, or no reason', schema: errorSchema };

async function endSessions(deps: Deps, users: UserErasure[]): Promise<number> {
  const ended = await Promise.all(users.map((u) => deps.sessions.endAllOf(u.userId)));
  return ended.reduce((a, b) => a + b, 0);
}

export const operatorErasureRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/operator/users/:userId/erasure',
    summary: "Erases a staff member's personal data (pseudonyms; ledger and audit stay)",
    tag: 'operator',
    access: 'operate',
    params: z.object({ userId: z.uuid() }),
    body,
    responses: {
      200: {
        description: 'Name, email, phone, sign-in addresses and delivery recipients replaced by the pseudonym; sessions ended; a repeat changes nothing more',
        schema: z.object({ userId: z.uuid(), pseudonym: z.string(), auditRowsRewritten: z.number().int(), sessionsEnded: z.number().int() }),
      },
      403: forbidden,
      404: { description: 'NOT_FOUND: no user has this id', schema: errorSchema },
      422: invalid,
    },
    async handler(ctx, { params, body }, deps) {
      const erased = await eraseUser(deps.orm.em.fork(), params.userId, body.reason, { userId: ctx.state.auth!.id, requestId: ctx.state.requestId });
      ctx.body = { ...erased, sessionsEnded: await endSessions(deps, [erased]) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/operator/brands/:customerId/erasure',
    summary: "Erases a brand's personal data: its name, every member, invitations; revokes its API keys",
    tag: 'operator',
    access: 'operate',
    params: z.object({ customerId: z.uuid() }),
    body,
    responses: {
      200: {
        description: 'The brand and its members pseudonymised, invitations deleted, keys revoked, sessions ended',
        schema: z.object({
          customerId: z.uuid(),
          pseudonym: z.string(),
          users: z.number().int(),
          apiKeysRevoked: z.number().int(),
          auditRowsRewritten: z.number().int(),
          sessionsEnded: z.number().int(),
        }),
      },
      403: forbidden,
      404: { description: 'NOT_FOUND: no brand has this id', schema: errorSchema },
      422: invalid,
    },
    async handler(ctx, { params, body }, deps) {
      const erased = await eraseBrand(deps.orm.em.fork(), params.customerId, body.reason, { userId: ctx.state.auth!.id, requestId: ctx.state.requestId });
      for (const prefix of erased.apiKeyPrefixes) {
        deps.metering.apiKeys.forget(prefix);
        await deps.metering.live.publishInvalidation({ kind: 'api-key', prefix });
      }
      ctx.body = {
        customerId: erased.customerId,
        pseudonym: erased.pseudonym,
        users: erased.users.length,
        apiKeysRevoked: erased.apiKeyPrefixes.length,
        auditRowsRewritten: erased.auditRowsRewritten + erased.users.reduce((a, u) => a + u.auditRowsRewritten, 0),
        sessionsEnded: await endSessions(deps, erased.users),
      };
    },
  }),
];
