// Who may call what: one declared expectation per route of the app, checked by
// route-matrix.test.ts against the running API. A route missing here fails that test, so a new
// route cannot land without saying who may call it.
//
// Outcomes: 'ok' = the access gate let the request through (any answer but 401, 403 FORBIDDEN,
// 404 or a 5xx: the matrix sends empty bodies, so 422 is a pass, and so is a business refusal
// such as 403 PLAN_UPGRADE_REQUIRED); a number = that refusal.
// `otherBrandAdmin` is the admin of another brand aimed at this brand's ids: it must get 404
// (or 403), and whatever it gets must never contain this brand's data (checked on every answer).

export type Actor = 'anon' | 'viewer' | 'manager' | 'admin' | 'operator' | 'otherBrandAdmin';
export type Outcome = 'ok' | 401 | 403 | 404;

/** Ids of brand A's own rows, put into `:param`s. */
export type Fixture = 'apiKey' | 'notification' | 'purchase' | 'customer' | 'member' | 'invitation';

export interface RouteExpectation {
  outcomes: Record<Actor, Outcome>;
  /** Which of brand A's rows each path parameter names; `:slug` is always pd-calculator. */
  params?: Record<string, Fixture>;
  /** The body to send when `{}` fails validation before the access and ownership checks run. */
  body?: unknown;
  /** The request ends the session (logout): each actor sends it from a fresh login. */
  freshSession?: true;
}

const everyone: Record<Actor, Outcome> = { anon: 'ok', viewer: 'ok', manager: 'ok', admin: 'ok', operator: 'ok', otherBrandAdmin: 'ok' };
const anySession: Record<Actor, Outcome> = { ...everyone, anon: 401 };
const noSuchFile: Record<Actor, Outcome> = { anon: 404, viewer: 404, manager: 404, admin: 404, operator: 404, otherBrandAdmin: 404 };
/** A cookie is not an API key: /v1 answers 401 to every session. */
const apiKeyOnly: Record<Actor, Outcome> = { anon: 401, viewer: 401, manager: 401, admin: 401, operator: 401, otherBrandAdmin: 401 };
/** Brand data: any staff role reads it; an operator belongs to no brand and gets 403. */
const brandRead: Record<Actor, Outcome> = { anon: 401, viewer: 'ok', manager: 'ok', admin: 'ok', operator: 403, otherBrandAdmin: 'ok' };
/** The catalog: operators read it too (they run the betas), without a brand's plan or activations. */
const catalogRead: Record<Actor, Outcome> = { ...brandRead, operator: 'ok' };
const brandManage: Record<Actor, Outcome> = { ...brandRead, viewer: 403 };
const brandAdminister: Record<Actor, Outcome> = { ...brandManage, manager: 403 };
const operatorOnly: Record<Actor, Outcome> = { anon: 401, viewer: 403, manager: 403, admin: 403, operator: 'ok', otherBrandAdmin: 403 };
/** The same, aimed at one of brand A's rows: another brand's admin must not find it. */
const byId = (base: Record<Actor, Outcome>): Record<Actor, Outcome> => ({ ...base, otherBrandAdmin: 404 });

export const routeExpectations: Record<string, RouteExpectation> = {
  'GET /health': { outcomes: everyone },
  'GET /api/operator/health': { outcomes: operatorOnly },
  'GET /metrics': { outcomes: everyone },
  'GET /openapi.json': { outcomes: everyone },
  'POST /api/auth/signup': { outcomes: everyone },
  'POST /api/auth/login': { outcomes: everyone },
  'POST /api/auth/logout': { outcomes: everyone, freshSession: true },
  'GET /api/auth/me': { outcomes: anySession },

  'GET /api/team': { outcomes: brandRead },
  'POST /api/team/invitations': { outcomes: brandAdminister },
  'DELETE /api/team/invitations/:id': { outcomes: byId(brandAdminister), params: { id: 'invitation' } },
  // `member` is a member of brand A that no actor logs in as: disabling it leaves the matrix's own sessions alone.
  'PATCH /api/team/members/:id': { outcomes: byId(brandAdminister), params: { id: 'member' }, body: { role: 'viewer' } },
  'POST /api/team/members/:id/disable': { outcomes: byId(brandAdminister), params: { id: 'member' } },
  'POST /api/team/members/:id/enable': { outcomes: byId(brandAdminister), params: { id: 'member' } },
  // No fixture holds a live token (only its hash is stored): every actor, session or not, gets
  // the same 404 INVITATION_NOT_FOUND, which shows the route asks for no session.
  'GET /api/invitations/:token': { outcomes: { anon: 404, viewer: 404, manager: 404, admin: 404, operator: 404, otherBrandAdmin: 404 } },
  // An empty body is refused (422) before the token is looked up, by anyone: public.
  'POST /api/invitations/:token/accept': { outcomes: everyone },
  'POST /api/account/password': { outcomes: anySession },
  'GET /api/account/sign-ins': { outcomes: anySession },

  'GET /api/audit': { outcomes: brandAdminister },
  'GET /api/audit/filters': { outcomes: brandAdminister },
  'GET /api/audit/export.csv': { outcomes: brandAdminister },

  'GET /api/apps': { outcomes: catalogRead },
  'GET /api/apps/:slug': { outcomes: catalogRead },
  'POST /api/apps/:slug/activate': { outcomes: brandManage },
  'POST /api/apps/:slug/deactivate': { outcomes: brandManage },
  'GET /api/apps/:slug/activation': { outcomes: brandRead },
  'GET /api/apps/:slug/first-call': { outcomes: brandRead },
  'GET /api/apps/:slug/configuration': { outcomes: brandRead },
  'PUT /api/apps/:slug/configuration': { outcomes: brandManage },
  'POST /api/apps/:slug/configuration/rollback': { outcomes: brandManage },
  'POST /api/apps/:slug/configuration/versions': { outcomes: brandManage },
  'GET /api/frames': { outcomes: brandRead },
  'PUT /api/frames': { outcomes: brandManage },
  'DELETE /api/frames': { outcomes: brandManage },

  'GET /api/operator/overview': { outcomes: operatorOnly },
  'GET /api/operator/brands': { outcomes: operatorOnly },
  'GET /api/operator/brands/:customerId': { outcomes: operatorOnly, params: { customerId: 'customer' } },
  'GET /api/operator/metrics': { outcomes: operatorOnly },
  'GET /api/operator/apps/:slug/beta-customers': { outcomes: operatorOnly },
  'PUT /api/operator/apps/:slug/beta-customers/:customerId': { outcomes: operatorOnly, params: { customerId: 'customer' } },
  'DELETE /api/operator/apps/:slug/beta-customers/:customerId': { outcomes: operatorOnly, params: { customerId: 'customer' } },
  // Money operations: the empty body is refused (422) after the access gate, so an operator passes.
  'POST /api/operator/brands/:customerId/adjustments': { outcomes: operatorOnly, params: { customerId: 'customer' } },
  'POST /api/operator/brands/:customerId/refunds': { outcomes: operatorOnly, params: { customerId: 'customer' } },
  'POST /api/operator/brands/:customerId/grace': { outcomes: operatorOnly, params: { customerId: 'customer' } },
  'POST /api/operator/brands/:customerId/suspension': { outcomes: operatorOnly, params: { customerId: 'customer' } },

  'GET /api/api-keys': { outcomes: brandManage },
  'POST /api/api-keys': { outcomes: brandAdminister },
  'DELETE /api/api-keys/:id': { outcomes: byId(brandAdminister), params: { id: 'apiKey' } },
  'PATCH /api/api-keys/:id': { outcomes: byId(brandAdminister), params: { id: 'apiKey' }, body: { name: 'Matrix storefront' } },
  'POST /api/api-keys/:id/rotate': { outcomes: byId(brandAdminister), params: { id: 'apiKey' } },
  'POST /api/sandbox/refill': { outcomes: brandAdminister },

  'GET /api/usage/balance': { outcomes: brandRead },
  'GET /api/usage/stream': { outcomes: brandRead },
  'GET /api/usage/analytics': { outcomes: brandRead },
  'GET /api/usage/forecast': { outcomes: brandRead },
  'GET /api/usage/export.csv': { outcomes: brandRead },

  'GET /api/billing': { outcomes: brandRead },
  'GET /api/billing/adjustments': { outcomes: brandRead },
  'GET /api/billing/invoices': { outcomes: brandRead },
  'POST /api/billing/portal-session': { outcomes: brandAdminister },
  'POST /api/billing/subscription': { outcomes: brandAdminister },
  'POST /api/billing/subscription/cancel': { outcomes: brandAdminister },
  'POST /api/billing/subscription/resume': { outcomes: brandAdminister },
  'PUT /api/billing/alerts': { outcomes: brandAdminister },
  'POST /api/billing/subscription/complete-test-payment': { outcomes: brandAdminister },
  'POST /api/billing/subscription/test-invoice': { outcomes: brandAdminister },
  'GET /api/billing/token-packs': { outcomes: brandRead },
  'GET /api/billing/token-packs/:id': { outcomes: byId(brandRead), params: { id: 'purchase' } },
  'POST /api/billing/token-packs': { outcomes: brandAdminister },
  'POST /api/billing/token-packs/:id/complete-test-payment': { outcomes: byId(brandAdminister), params: { id: 'purchase' } },

  'GET /api/onboarding': { outcomes: brandRead },
  /** Any staff role, viewers too: copying a snippet changes only the checklist. */
  'POST /api/onboarding/snippet-copied': { outcomes: brandRead, body: { slug: 'pd-calculator' } },

  'GET /api/notifications': { outcomes: brandRead },
  'POST /api/notifications/:id/read': { outcomes: byId(brandManage), params: { id: 'notification' } },
  'POST /api/notifications/read-all': { outcomes: brandManage },
  // Each user's own settings: any staff role, never another's (no id in the path). The bodies pass
  // validation, which runs before the brand check. POST /api/account/phone is sent empty (a valid
  // number would send an SMS): an operator's 422 there comes before the 403 it gets with a number
  // (test/api/account-notifications.test.ts).
  'GET /api/account/notification-preferences': { outcomes: brandRead },
  'PUT /api/account/notification-preferences': { outcomes: brandRead, body: { categories: [{ category: 'weekly_summary', email: false, sms: false }] } },
  'POST /api/account/phone': { outcomes: { ...brandRead, operator: 'ok' } },
  'POST /api/account/phone/verify': { outcomes: brandRead, body: { code: '123456' } },
  'DELETE /api/account/phone': { outcomes: brandRead },

  'POST /v1/consume': { outcomes: apiKeyOnly },
  'POST /v1/apps/:slug/run': { outcomes: apiKeyOnly },
  'GET /v1/widget-config/:slug': { outcomes: apiKeyOnly },
  'GET /widget.js': { outcomes: everyone },
  /** Drawn from the name alone: no brand data. */
  'GET /widget/frames/:drawing': { outcomes: everyone },
  'GET /demo/storefront': { outcomes: everyone },
  /** Carries no brand data: the draft comes from the framing portal page by postMessage. */
  'GET /preview/widget/:slug': { outcomes: everyone },
  /**
   * Public files (test/api/face-runtime.test.ts loads them anonymously); the matrix's placeholder
   * version names no file, so every actor gets the 404 an unknown version gets.
   */
  'GET /widget/face/:version/:file': { outcomes: noSuchFile },
  'GET /widget/models/:version/:file': { outcomes: noSuchFile },
};
