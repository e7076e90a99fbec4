// Koa wiring: one error middleware at the top, then cross-cutting concerns, then routers.
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Koa, { type Middleware } from 'koa';
import { AppError } from '../domain/errors';
import type { Deps } from './deps';
import { auditOrigin } from './middleware/audit-origin';
import { countClientErrors } from './middleware/client-errors';
import { errorHandler } from './middleware/errors';
import { createMetrics } from './middleware/metrics';
import { registerReconcileAuditMetrics } from './metrics/reconcile-audit';
import { ormContext } from './middleware/orm-context';
import { guides } from './middleware/guides';
import { portal } from './middleware/portal';
import { rawUploads } from './middleware/raw-upload';
import { requestContext } from './middleware/request-context';
import { securityHeaders } from './middleware/security-headers';
import { widgetCors } from './middleware/widget-cors';
import { mount, type AnyRoute } from './route';
import { anomalySettingsRoutes } from './routes/anomaly-settings';
import { apiKeyRoutes } from './routes/api-keys';
import { appActivationRoutes } from './routes/app-activation';
import { appConfigurationRoutes } from './routes/app-configuration';
import { appRoutes } from './routes/apps';
import { auditRoutes } from './routes/audit';
import { appActivationProgressRoutes } from './routes/app-activation-progress';
import { appFirstCallRoutes } from './routes/app-first-call';
import { autoTopUpRoutes } from './routes/auto-top-up';
import { billingRoutes } from './routes/billing';
import { consumeRoutes } from './routes/consume';
import { consumeEdge } from './edge/consume';
import { stripeWebhook } from './routes/stripe-webhooks';
import { notificationRoutes } from './routes/notifications';
import { accountNotificationRoutes } from './routes/account-notifications';
import { subscriptionRoutes } from './routes/subscription';
import { subscriptionTestModeRoutes } from './routes/subscription-test-mode';
import { tokenPackRoutes } from './routes/token-packs';
import { tokenPackTestModeRoutes } from './routes/token-pack-test-mode';
import { runAppRoutes } from './routes/run-app';
import { framesPath, frameRoutes } from './routes/frames';
import { authRoutes } from './routes/auth';
import { healthRoutes } from './routes/health';
import { operationRoutes } from './routes/operations';
import { operatorAlertRoutes } from './routes/operator-alerts';
import { operatorBetaAccessRoutes } from './routes/operator-beta-access';
import { operatorOverviewRoutes } from './routes/operator-overview';
import { operatorBrandRoutes } from './routes/operator-brands';
import { operatorMetricsRoutes } from './routes/operator-metrics';
import { operatorMoneyRoutes } from './routes/operator-money';
import { billingAdjustmentRoutes } from './routes/billing-adjustments';
import { operatorFlagRoutes } from './routes/operator-flags';
import { featureRoutes } from './routes/features';
import { operatorErasureRoutes } from './routes/operator-erasure';
import { accountExportRoutes } from './routes/account-export';
import { onboardingRoutes } from './routes/onboarding';
import { teamRoutes } from './routes/team';
import { invitationRoutes } from './routes/invitations';
import { accountRoutes } from './routes/account';
import { sandboxRoutes } from './routes/sandbox';
import { usageRoutes } from './routes/usage';
import { usageAnalyticsRoutes } from './routes/usage-analytics';
import { widgetRoutes } from './routes/widget';
import { frameDrawingRoutes } from './routes/frame-drawings';
import { demoStorefrontRoutes } from './routes/demo-storefront';
import { widgetPreviewRoutes } from './routes/widget-preview';
import { faceRuntimeRoutes } from './routes/face-runtime';
import type { AppState } from './state';

const isWidgetPath = (path: string) => path.startsWith('/v1/');

/**
 * The test-payment actions pay without a card: they are mounted only while the configuration says
 * test payments exist (a test key outside production), so otherwise they answer 404 like any
 * unknown path, to everyone, and cannot be reached through any role or mistake in a handler.
 */
const testPaymentsOnly = (config: Deps['config'], routes: AnyRoute[]): AnyRoute[] => (config.stripe.testPayments ? routes : []);

/** The middleware of either family, chosen by path; koa's and the router's context types differ only in what the router adds. */
function byPath<M extends (ctx: never, next: () => Promise<unknown>) => unknown>(widget: M, portal: M): Middleware<AppState> {
  const pick = (path: string) => (isWidgetPath(path) ? widget : portal) as unknown as Middleware<AppState>;
  return function routeByPath(ctx, next) {
    return pick(ctx.path)(ctx, next);
  };
}

/**
 * Middleware run one after the other, as koa would. Grouped so that a /v1 request, which none of
 * a group's members would act on, skips them with one path check instead of one async frame
 * (a promise and a closure) per member: about 3 % of the widget path's CPU.
 */
function chain(...members: ((ctx: never, next: () => Promise<unknown>) => unknown)[]): Middleware<AppState> {
  const list = members as unknown as Middleware<AppState>[];
  return function chained(ctx, next) {
    const step = (i: number): Promise<unknown> => Promise.resolve(i === list.length ? next() : list[i]!(ctx, () => step(i + 1)));
    return step(0);
  };
}

const passThrough: Middleware<AppState> = (_ctx, next) => next();

export function createApp(deps: Deps) {
  // Proxy headers are trusted in production only, and only as many X-Forwarded-For hops as there
  // are proxies: the login throttles key on ctx.ip, which a forged leftmost entry must not set.
  const app = new Koa<AppState>({ proxy: deps.config.env === 'production', maxIpsCount: deps.config.api.trustedProxyHops });
  const metrics = createMetrics();
  registerReconcileAuditMetrics(metrics.registry, deps.orm);
  const routes: AnyRoute[] = [];
  // One route group a line, so parallel work on different areas merges without conflicts.
  routes.push(
    ...healthRoutes,
    ...operationRoutes(metrics.registry, () => routes, deps.config.api.publicUrl),
    ...authRoutes,
    ...teamRoutes,
    ...invitationRoutes,
    ...accountRoutes,
    ...appRoutes,
    ...appActivationRoutes,
    ...appActivationProgressRoutes,
    ...appFirstCallRoutes,
    ...appConfigurationRoutes,
    ...frameRoutes,
    ...operatorBetaAccessRoutes,
    ...operatorOverviewRoutes,
    ...operatorAlertRoutes,
    ...operatorBrandRoutes,
    ...operatorMetricsRoutes(metrics.registry),
    ...operatorMoneyRoutes,
    ...operatorFlagRoutes,
    ...featureRoutes,
    ...operatorErasureRoutes,
    ...accountExportRoutes,
    ...onboardingRoutes,
    ...apiKeyRoutes,
    ...usageRoutes,
    ...usageAnalyticsRoutes,
    ...sandboxRoutes,
    ...billingRoutes,
    ...autoTopUpRoutes,
    ...billingAdjustmentRoutes,
    ...subscriptionRoutes,
    ...testPaymentsOnly(deps.config, subscriptionTestModeRoutes),
    ...tokenPackRoutes,
    ...testPaymentsOnly(deps.config, tokenPackTestModeRoutes),
    ...notificationRoutes,
    ...auditRoutes,
    ...accountNotificationRoutes,
    ...anomalySettingsRoutes,
    ...consumeRoutes,
    ...runAppRoutes,
    ...widgetRoutes,
    ...frameDrawingRoutes,
    ...demoStorefrontRoutes,
    ...widgetPreviewRoutes,
    ...faceRuntimeRoutes,
  );

  // Widgets call /v1 at high rates: their few routes get a router of their own, so such a request
  // is matched against them alone rather than against every portal route.
  const widgetRouter = new Router<AppState>();
  const portalRouter = new Router<AppState>();
  mount(widgetRouter, routes.filter((r) => isWidgetPath(r.path)), deps);
  mount(portalRouter, routes.filter((r) => !isWidgetPath(r.path)), deps);

  // Our listener replaces koa's console printing; client disconnects are routine, not errors.
  app.on('error', (err: Error & { code?: string }) => {
    if (err.code === 'ERR_STREAM_PREMATURE_CLOSE' || err.code === 'ECONNRESET' || err.message === 'Premature close') return;
    deps.logger.error({ err }, 'koa error outside the request chain');
  });
  app.use(requestContext(deps.logger));
  app.use(securityHeaders({ cookieSecure: deps.config.session.cookieSecure }));
  app.use(countClientErrors(deps));
  // Outside the error handler, so an error answer is labelled with the status it leaves with
  // (inside it, the histogram saw koa's default 404 for every refusal).
  app.use(metrics.middleware);
  app.use(errorHandler);
  app.use(widgetCors);
  // What only the portal side acts on (guides, the portal's files, the Stripe webhook, uploads):
  // none of it matches a /v1 path, so widget calls skip the group.
  app.use(byPath(passThrough, chain(guides(), portal(deps.config.webDistDir), stripeWebhook(deps), rawUploads([framesPath]))));
  // Before the body parser: Stripe signs the raw bytes, which the parser would consume (above).
  app.use(
    bodyParser({
      enableTypes: ['json'],
      jsonLimit: '64kb',
      onError(err) {
        const tooLarge = (err as { type?: string }).type === 'entity.too.large';
        throw tooLarge
          ? new AppError('PAYLOAD_TOO_LARGE', 'The request body is larger than 64 KB.')
          : new AppError('INVALID_JSON', 'The request body is not valid JSON.');
      },
    }),
  );
  // The widget path (/v1) never uses MikroORM's identity map, so it skips the request context.
  app.use(
    byPath(
      chain(widgetRouter.routes(), widgetRouter.allowedMethods({ throw: true })),
      chain(ormContext(deps.orm), auditOrigin, portalRouter.routes(), portalRouter.allowedMethods({ throw: true })),
    ),
  );
  // POST /v1/consume is answered by the widget edge before koa, with koa's own functions (see
  // there); everything else, and any such request the edge is not sure to read as koa would, goes
  // through the chain above.
  const edge = consumeEdge({ deps, koa: app, latency: metrics.latency, route: consumeRoutes[0]! });
  const viaKoa = app.callback();
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    if (!edge(req, res)) void viaKoa(req, res);
  };
  return { app, routes, metrics, listen: (port: number, host: string) => createServer(listener).listen(port, host) };
}
