// The allow-list of a beta app, kept by VARAi operators: a beta app exists only for the brands
// on it (catalog, detail and activation answer UNKNOWN_APP to any other brand).
import { z } from 'zod';
import { betaCustomers, grantBetaAccess, revokeBetaAccess, type BetaCustomer } from '../../domain/catalog/beta-access';
import { defineRoute } from '../route';
import { errorSchema } from '../schemas/common';

const appParams = z.object({ slug: z.string().min(1).max(64) });
const customerParams = appParams.extend({ customerId: z.uuid() });

const betaCustomerSchema = z
  .object({ id: z.uuid(), name: z.string(), grantedAt: z.string().meta({ description: 'When the brand was let in; a repeated grant keeps it.' }) })
  .meta({ id: 'BetaCustomer' });

const view = (c: BetaCustomer) => ({ id: c.id, name: c.name, grantedAt: c.grantedAt.toISOString() });

const forbidden = { description: 'FORBIDDEN for anyone but an operator', schema: errorSchema };
const unknownApp = { description: 'UNKNOWN_APP', schema: errorSchema };
const notFound = { description: 'UNKNOWN_APP, or NOT_FOUND for an unknown brand (details.field = params.customerId)', schema: errorSchema };
const badId = { description: 'VALIDATION_FAILED: customerId is not a UUID', schema: errorSchema };

export const operatorBetaAccessRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/operator/apps/:slug/beta-customers',
    summary: 'Lists the brands let into a beta app',
    tag: 'operator',
    access: 'operate',
    params: appParams,
    responses: {
      200: { description: 'The allow-list, oldest grant first; empty for an app nobody was let into', schema: z.object({ customers: z.array(betaCustomerSchema) }) },
      403: forbidden,
      404: unknownApp,
    },
    async handler(ctx, { params }, deps) {
      const customers = await betaCustomers(deps.orm.em.fork(), params.slug);
      ctx.body = { customers: customers.map(view) };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/api/operator/apps/:slug/beta-customers/:customerId',
    summary: 'Lets a brand into a beta app (idempotent)',
    tag: 'operator',
    access: 'operate',
    params: customerParams,
    responses: {
      200: { description: 'The brand is on the list; a repeat changes nothing and is not audited again', schema: z.object({ customer: betaCustomerSchema }) },
      403: forbidden,
      404: notFound,
      422: badId,
    },
    async handler(ctx, { params }, deps) {
      const actor = { userId: ctx.state.auth!.id, requestId: ctx.state.requestId };
      const customer = await grantBetaAccess(deps.orm.em.fork(), params.slug, params.customerId, actor);
      ctx.body = { customer: view(customer) };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/api/operator/apps/:slug/beta-customers/:customerId',
    summary: 'Takes a brand off a beta app’s list (idempotent)',
    tag: 'operator',
    access: 'operate',
    params: customerParams,
    responses: {
      200: {
        description: 'The brand is off the list; `revoked` is false when it was not on it',
        schema: z.object({ customerId: z.uuid(), revoked: z.boolean() }),
      },
      403: forbidden,
      404: notFound,
      422: badId,
    },
    async handler(ctx, { params }, deps) {
      const actor = { userId: ctx.state.auth!.id, requestId: ctx.state.requestId };
      const revoked = await revokeBetaAccess(deps.orm.em.fork(), params.slug, params.customerId, actor);
      ctx.body = { customerId: params.customerId, revoked };
    },
  }),
];
