import { PassThrough } from 'node:stream';
import { z } from 'zod';
import { acquireStreamSlot, maxStreamsPerSession } from '../../domain/auth/stream-slots';
import { AppError } from '../../domain/errors';
import { availableTokens, ledgerBalance } from '../../domain/metering/ledger-balance';
import { currentBalance, type BalanceMessage } from '../../domain/metering/publish';
import { readSandbox } from '../../domain/metering/sandbox';
import { defineRoute } from '../route';
import { errorSchema } from '../schemas/common';
import { customerIdOf } from '../scope';
import { sandboxSchema } from './sandbox';
import { sessionCookie } from '../session';

const heartbeatMs = 15_000;
/** A stream's slot outlives two missed heartbeats, then frees itself (its API process died). */
const streamLeaseMs = 2 * heartbeatMs + 5_000;

const balanceStatus = z.enum(['active', 'suspended']).meta({ description: 'suspended: a payment failed; debits are refused until it is paid.' });

const balanceEventSchema = z
  .object({
    availableTokens: z.number().int().nullable().meta({ description: 'Usable now, counting debits not yet reconciled; null is unlimited.' }),
    status: balanceStatus,
    at: z.string(),
  })
  .meta({ id: 'BalanceEvent' });

const balanceSchema = z.object({
  availableTokens: z.number().int().nullable().meta({ description: 'Usable now, counting debits not yet reconciled; null is unlimited.' }),
  ledgerAvailableTokens: z.number().int().nullable().meta({ description: 'Usable now by the committed ledger alone.' }),
  unlimited: z.boolean(),
  status: balanceStatus,
  grants: z.array(
    z.object({
      id: z.uuid(),
      source: z.enum(['plan_allowance', 'token_pack', 'adjustment']),
      grantedTokens: z.number().int(),
      remainingTokens: z.number().int(),
      effectiveAt: z.string(),
      expiresAt: z.string().nullable(),
    }),
  ).meta({ description: 'Unexpired grants in burn order: plan allowance, then packs oldest first.' }),
  // Test mode, apart from everything above: the sandbox test keys spend from, and their uses per app.
  test: sandboxSchema,
});

export const usageRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/usage/balance',
    summary: "The brand's token balance, derived from the ledger, with its grants in burn order",
    tag: 'usage',
    access: 'read',
    responses: {
      200: { description: 'Balance', schema: balanceSchema },
      403: { description: 'FORBIDDEN for an operator (no brand)', schema: errorSchema },
    },
    async handler(ctx, _input, deps) {
      const customerId = customerIdOf(ctx);
      const now = new Date();
      const ledger = await ledgerBalance(deps.orm.em.fork(), customerId, now);
      const live = await currentBalance(deps.orm, deps.redis, customerId);
      const test = await readSandbox(deps.redis, customerId, deps.metering.settings.sandboxStartingTokens);
      ctx.body = {
        availableTokens: live.availableTokens,
        ledgerAvailableTokens: availableTokens(ledger, now),
        unlimited: ledger.unlimited,
        status: ledger.status,
        grants: ledger.grants.map((g) => ({ ...g, effectiveAt: g.effectiveAt.toISOString(), expiresAt: g.expiresAt?.toISOString() ?? null })),
        test,
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/usage/stream',
    summary: 'Server-sent events: `balance` now and after every change (text/event-stream)',
    tag: 'usage',
    access: 'read',
    responses: {
      200: { description: 'An event stream; each `balance` event carries this JSON as its data', mediaType: 'text/event-stream', schema: balanceEventSchema },
      403: { description: 'FORBIDDEN for an operator (no brand)', schema: errorSchema },
      429: { description: `TOO_MANY_STREAMS: the session has ${maxStreamsPerSession} streams open already; close one`, schema: errorSchema },
    },
    async handler(ctx, _input, deps) {
      const customerId = customerIdOf(ctx);
      // The route is `read`, so the request came with a live session cookie.
      const token = ctx.cookies.get(sessionCookie) ?? '';
      const slot = await acquireStreamSlot(deps.redis, token, streamLeaseMs);
      if (!slot) {
        throw new AppError('TOO_MANY_STREAMS', `This session has ${maxStreamsPerSession} event streams open already. Close a tab of the portal and try again.`, { limit: maxStreamsPerSession });
      }
      const stream = new PassThrough();
      const send = (m: BalanceMessage) => stream.write(`event: balance\ndata: ${JSON.stringify({ availableTokens: m.availableTokens, status: m.status, at: m.at })}\n\n`);
      // The close handler goes on before the first await: a client gone while we subscribe must
      // still release the subscription and the heartbeat.
      const subscription: { stop?: () => void } = {};
      let closed = false;
      // Each heartbeat also checks the session: a member disabled, a password changed elsewhere or
      // a logout in another tab ends the stream within one heartbeat, on whichever process holds it.
      const heartbeat = setInterval(() => {
        stream.write(': keep-alive\n\n');
        slot.renew().catch((err: unknown) => ctx.state.log.warn({ err }, 'stream slot not renewed'));
        deps.sessions.exists(token).then(
          (alive) => alive || close(),
          (err: unknown) => ctx.state.log.warn({ err }, 'stream session not checked'),
        );
      }, heartbeatMs);
      const close = () => {
        closed = true;
        clearInterval(heartbeat);
        subscription.stop?.();
        stream.end();
        slot.release().catch((err: unknown) => ctx.state.log.warn({ err }, 'stream slot not released; its lease frees it'));
      };
      // The response's close, not the request's: it fires when the client goes away.
      ctx.res.once('close', close);
      subscription.stop = await deps.metering.live.watchBalance(customerId, send);
      if (closed) {
        subscription.stop();
        return;
      }
      ctx.set({ 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
      ctx.type = 'text/event-stream';
      ctx.status = 200;
      ctx.body = stream;
      send(await currentBalance(deps.orm, deps.redis, customerId));
    },
  }),
];
