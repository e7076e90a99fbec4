// Names for what crosses HTTP. Every shape comes from api-schema.d.ts, which `npm run openapi`
// generates from the route schemas, so the portal cannot drift from the API: change a route,
// regenerate, and svelte-check points at each place the portal must follow.
import type { components, operations } from './api-schema';

type Schemas = components['schemas'];
type Json<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type Responses<O extends keyof operations> = operations[O]['responses'];

/** The JSON body of an operation's success answer (200, or 201 for a creation). */
export type Ok<O extends keyof operations> = Responses<O> extends { 200: infer R } ? Json<R> : Responses<O> extends { 201: infer R } ? Json<R> : never;
/** The JSON request body of an operation. */
export type Body<O extends keyof operations> = operations[O] extends { requestBody: { content: { 'application/json': infer T } } } ? T : never;
type Query<O extends keyof operations> = NonNullable<operations[O]['parameters']['query']>;

export type ErrorBody = Schemas['Error'];
export type FieldError = NonNullable<NonNullable<ErrorBody['error']['details']>['fields']>[number];

export type User = Schemas['User'];
export type Role = User['role'];
export type SignupInput = Body<'postApiAuthSignup'>;

export type App = Schemas['App'];
export type AppStatus = App['status'];

export type Balance = Ok<'getApiUsageBalance'>;
export type BalanceStatus = Balance['status'];
export type Grant = Balance['grants'][number];
/** The data of one `balance` event of `GET /api/usage/stream`. */
export type BalanceEvent = Schemas['BalanceEvent'];

export type ApiKey = Schemas['ApiKey'];
export type NewApiKey = Body<'postApiApiKeys'>;
export type Sandbox = Schemas['Sandbox'];

export type Billing = Schemas['Billing'];
export type BillingStatus = NonNullable<Billing['status']>;
export type PlanKey = Body<'postApiBillingSubscription'>['plan'];
export type BillingVerdict = Schemas['BillingVerdict'];
export type BillingOutcome = BillingVerdict['outcome'];
export type TestInvoiceOutcome = Body<'postApiBillingSubscriptionTestInvoice'>['outcome'];
export type Invoice = Schemas['Invoice'];

export type PackKey = Body<'postApiBillingTokenPacks'>['pack'];
export type TokenPackPurchase = Schemas['TokenPackPurchase'];

/** Called a notice here, not a Notification, so it never shadows the DOM's own type. */
export type Notice = Schemas['Notification'];
export type NoticePage = Ok<'getApiNotifications'>;
/** The list's query, with `unread` as a flag. */
export type NoticeQuery = Omit<Query<'getApiNotifications'>, 'unread'> & { unreadOnly?: boolean };
