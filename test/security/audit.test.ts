// The audit log names the actor of every mutation. One brand walks every mutating route of the
// route table, as its admin would, and an operator the operator routes; after each step the
// entry it must leave is looked up with its actor. A mutating route missing from the table
// below fails the first test, so a new route cannot skip the audit unnoticed.
import fs from 'node:fs';
import path from 'node:path';
import { demoPassword } from '../../domain/catalog/demo';
import { declaredRoutes } from '../../scripts/lib/openapi-spec';
import { taskQueues } from '../../temporal.config';
import { invoiceEvent } from '../../api/stripe-test-subscription-events';
import { startBillingStack, subscribe, type BillingStack } from '../support/billing';
import { deliverSignedEvent } from '../support/stripe-webhook';
import { startSms, type TestSms } from '../support/sms';
import { Session, uniqueEmail } from '../support/http';
import { inviteTokenFrom } from '../support/team';
import { waitFor } from '../support/wait';

type Kind = 'user' | 'operator' | 'api_key' | 'anonymous' | 'system';

/** What each mutating route leaves in the audit log, or why it leaves nothing there. */
const expected: Record<string, { actions: string[]; kind: Kind } | { notAudited: string }> = {
  'POST /api/auth/signup': { actions: ['customer.signed_up'], kind: 'user' },
  'POST /api/auth/login': { actions: ['user.logged_in', 'user.login_failed'], kind: 'user' },
  'POST /api/auth/logout': { actions: ['user.logged_out'], kind: 'user' },
  'POST /api/team/invitations': { actions: ['team.invitation_sent'], kind: 'user' },
  'DELETE /api/team/invitations/:id': { actions: ['team.invitation_removed'], kind: 'user' },
  'PATCH /api/team/members/:id': { actions: ['team.member_role_changed'], kind: 'user' },
  'POST /api/team/members/:id/disable': { actions: ['team.member_disabled'], kind: 'user' },
  'POST /api/team/members/:id/enable': { actions: ['team.member_enabled'], kind: 'user' },
  'POST /api/invitations/:token/accept': { actions: ['team.invitation_accepted'], kind: 'user' },
  'POST /api/account/password': { actions: ['user.password_changed'], kind: 'user' },
  'POST /api/api-keys': { actions: ['api_key.created'], kind: 'user' },
  'DELETE /api/api-keys/:id': { actions: ['api_key.revoked'], kind: 'user' },
  'PATCH /api/api-keys/:id': { actions: ['api_key.updated'], kind: 'user' },
  'POST /api/api-keys/:id/rotate': { actions: ['api_key.rotated'], kind: 'user' },
  'POST /api/sandbox/refill': { actions: ['sandbox.refilled'], kind: 'user' },
  'POST /api/apps/:slug/activate': { actions: ['app.activate_requested', 'app.provisioned', 'api_key.scopes_changed', 'app.activated'], kind: 'user' },
  'POST /api/apps/:slug/deactivate': { actions: ['app.deactivate_requested', 'app.deactivated'], kind: 'user' },
  'PUT /api/apps/:slug/configuration': { actions: ['app.configuration_changed'], kind: 'user' },
  'POST /api/apps/:slug/configuration/rollback': { actions: ['app.configuration_changed'], kind: 'user' },
  'POST /api/apps/:slug/configuration/versions': { actions: ['app.configuration_changed'], kind: 'user' },
  'PUT /api/frames': { actions: ['frames.replaced'], kind: 'user' },
  'DELETE /api/frames': { actions: ['frames.reset'], kind: 'user' },
  'POST /api/billing/subscription': { actions: ['billing.plan_chosen'], kind: 'user' },
  'POST /api/billing/subscription/cancel': { actions: ['billing.cancel_requested'], kind: 'user' },
  'POST /api/billing/subscription/resume': { actions: ['billing.resume_requested'], kind: 'user' },
  'PUT /api/billing/alerts': { actions: ['billing.alerts_changed'], kind: 'user' },
  'POST /api/billing/subscription/complete-test-payment': { actions: ['billing.test_payment'], kind: 'user' },
  'POST /api/billing/subscription/test-invoice': { actions: ['billing.test_invoice'], kind: 'user' },
  'POST /api/billing/portal-session': { actions: ['billing.portal_opened'], kind: 'user' },
  'POST /api/billing/token-packs': { actions: ['token_pack.purchase_started'], kind: 'user' },
  'POST /api/billing/token-packs/:id/complete-test-payment': { actions: ['token_pack.test_payment'], kind: 'user' },
  'POST /api/notifications/:id/read': { actions: ['notification.read'], kind: 'user' },
  'POST /api/notifications/read-all': { actions: ['notification.read_all'], kind: 'user' },
  'PUT /api/account/notification-preferences': { actions: ['notification_preferences.updated'], kind: 'user' },
  'POST /api/account/phone': { actions: ['phone.code_sent'], kind: 'user' },
  'POST /api/account/phone/verify': { actions: ['phone.verified'], kind: 'user' },
  'DELETE /api/account/phone': { actions: ['phone.removed'], kind: 'user' },
  'POST /api/onboarding/snippet-copied': { actions: ['onboarding.snippet_copied'], kind: 'user' },
  'PUT /api/operator/apps/:slug/beta-customers/:customerId': { actions: ['app.beta_granted'], kind: 'operator' },
  'DELETE /api/operator/apps/:slug/beta-customers/:customerId': { actions: ['app.beta_revoked'], kind: 'operator' },
  'POST /api/operator/brands/:customerId/adjustments': { actions: ['billing.adjustment_made'], kind: 'operator' },
  'POST /api/operator/brands/:customerId/refunds': { actions: ['billing.refund_issued'], kind: 'operator' },
  'POST /api/operator/brands/:customerId/grace': { actions: ['billing.grace_extended'], kind: 'operator' },
  'POST /api/operator/brands/:customerId/suspension': { actions: ['billing.suspended_by_operator', 'billing.resumed_by_operator'], kind: 'operator' },
  'POST /v1/consume': { notAudited: 'each debit is a token_usage row naming its API key, and a ledger entry' },
  'POST /v1/apps/:slug/run': { notAudited: 'each run is an app_runs row and a debit naming its API key' },
};

let stack: BillingStack;
let sms: TestSms;
beforeAll(async () => {
  // The phone routes send their code through the SMS adapter: to this catcher.
  sms = await startSms();
  process.env.SMS_API_BASE = sms.url;
  stack = await startBillingStack([taskQueues.activations, taskQueues.tokenPacks]);
});
afterAll(async () => {
  await stack.stop();
  await sms.close();
});

interface Entry {
  action: string;
  actor_kind: Kind | null;
  actor_id: string | null;
  actor_api_key_id: string | null;
  request_id: string | null;
}

const entries = (customerId: string, action: string) =>
  stack.api.deps.orm.em.getConnection().execute<Entry[]>(
    'select action, actor_kind, actor_id, actor_api_key_id, request_id from audit_log where customer_id = ? and action = ? order by id',
    [customerId, action],
  );

/** The newest entry of the action, once there is one (workflow steps write theirs a moment later). */
async function audited(customerId: string, action: string): Promise<Entry> {
  const rows = await waitFor(() => entries(customerId, action), (r) => r.length > 0, 20_000);
  expect(rows.length).toBeGreaterThan(0);
  return rows[rows.length - 1]!;
}

const mutatingRoutes = () =>
  declaredRoutes()
    .filter((r) => r.method !== 'get')
    .map((r) => `${r.method.toUpperCase()} ${r.path}`)
    .sort();

describe('the audit table', () => {
  it('names every mutating route of the route table', () => {
    expect(mutatingRoutes()).toEqual(Object.keys(expected).sort());
  });

  it('has one writer: no code outside domain/audit/ creates audit rows', () => {
    const root = path.resolve(__dirname, '../..');
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
        const rel = path.join(dir, e.name);
        if (e.isDirectory()) walk(rel);
        else if (rel.endsWith('.ts') && !rel.startsWith('domain/audit/')) {
          const text = fs.readFileSync(path.join(root, rel), 'utf8');
          if (/create\(AuditLog\b|insert\s+into\s+"?audit_log/i.test(text)) offenders.push(rel);
        }
      }
    };
    for (const dir of ['api', 'activities', 'clients', 'domain', 'reconciler', 'stripe-relay', 'scripts']) walk(dir);
    expect(offenders).toEqual([]);
  });
});

describe('a brand admin walking every mutation', () => {
  const admin = { session: undefined as unknown as Session, id: '', customerId: '', email: uniqueEmail('audit'), password: 'audit-walk-password' };
  const byAdmin = async (action: string) => {
    const e = await audited(admin.customerId, action);
    expect(e).toMatchObject({ actor_kind: 'user', actor_id: admin.id, actor_api_key_id: null });
    return e;
  };

  it('signs up, logs out, fails a login and logs in again', async () => {
    admin.session = new Session(stack.api.url);
    const res = await admin.session.post('/api/auth/signup', { brandName: 'Audit Optics', name: 'Ada Audit', email: admin.email, password: admin.password });
    expect(res.status).toBe(201);
    admin.id = res.body.user.id;
    admin.customerId = res.body.user.customerId;
    expect((await byAdmin('customer.signed_up')).request_id).toEqual(expect.any(String));

    expect((await admin.session.post('/api/auth/logout')).status).toBe(204);
    await byAdmin('user.logged_out');

    expect((await admin.session.post('/api/auth/login', { email: admin.email, password: 'not-the-password' })).status).toBe(401);
    expect(await audited(admin.customerId, 'user.login_failed')).toMatchObject({ actor_kind: 'anonymous', actor_id: null });

    expect((await admin.session.post('/api/auth/login', { email: admin.email, password: admin.password })).status).toBe(200);
    await byAdmin('user.logged_in');
  });

  it('invites a member who joins and changes their password; changes their role, disables and enables them; removes an invitation', async () => {
    const email = uniqueEmail('member');
    const invited = await admin.session.post('/api/team/invitations', { email, role: 'manager' });
    expect(invited.status).toBe(201);
    await byAdmin('team.invitation_sent');
    const mail = await waitFor(async () => stack.smtp.mails.find((m) => m.to.includes(email)), (m) => m !== undefined, 10_000);
    const member = new Session(stack.api.url);
    const joined = await member.post(`/api/invitations/${encodeURIComponent(inviteTokenFrom(mail!.raw))}/accept`, { name: 'Max Member', password: 'long-enough-pw' });
    expect(joined.status).toBe(201);
    expect(await audited(admin.customerId, 'team.invitation_accepted')).toMatchObject({ actor_kind: 'user', actor_id: joined.body.user.id });
    expect((await member.post('/api/account/password', { currentPassword: 'long-enough-pw', newPassword: 'an-even-longer-pw' })).status).toBe(200);
    expect(await audited(admin.customerId, 'user.password_changed')).toMatchObject({ actor_kind: 'user', actor_id: joined.body.user.id });
    const id = joined.body.user.id as string;
    expect((await admin.session.request('PATCH', `/api/team/members/${id}`, { role: 'viewer' })).status).toBe(200);
    await byAdmin('team.member_role_changed');
    expect((await admin.session.post(`/api/team/members/${id}/disable`)).status).toBe(200);
    await byAdmin('team.member_disabled');
    expect((await admin.session.post(`/api/team/members/${id}/enable`)).status).toBe(200);
    await byAdmin('team.member_enabled');
    const other = await admin.session.post('/api/team/invitations', { email: uniqueEmail('other'), role: 'viewer' });
    expect((await admin.session.request('DELETE', `/api/team/invitations/${other.body.invitation.id}`)).status).toBe(204);
    await byAdmin('team.invitation_removed');
  });

  it('creates and revokes an API key', async () => {
    const key = await admin.session.post('/api/api-keys', { name: 'audit key' });
    expect(key.status).toBe(201);
    await byAdmin('api_key.created');
    expect((await admin.session.request('PATCH', `/api/api-keys/${key.body.apiKey.id}`, { name: 'audit key, renamed' })).status).toBe(200);
    await byAdmin('api_key.updated');
    const rotated = await admin.session.post(`/api/api-keys/${key.body.apiKey.id}/rotate`, { overlapSeconds: 0 });
    expect(rotated.status).toBe(201);
    await byAdmin('api_key.rotated');
    expect((await admin.session.request('DELETE', `/api/api-keys/${rotated.body.apiKey.id}`)).status).toBe(200);
    await byAdmin('api_key.revoked');
    expect((await admin.session.post('/api/sandbox/refill')).status).toBe(200);
    await byAdmin('sandbox.refilled');
  });

  it('chooses a plan and pays it in test mode, sets alerts, cancels, resumes, reports an invoice and opens the billing portal', async () => {
    await subscribe(admin.session, 'professional');
    expect(await byAdmin('billing.plan_chosen')).toMatchObject({ request_id: expect.any(String) });
    await byAdmin('billing.test_payment');
    expect((await admin.session.put('/api/billing/alerts', { thresholds: [50, 90] })).status).toBe(200);
    await byAdmin('billing.alerts_changed');
    expect((await admin.session.post('/api/billing/subscription/cancel')).status).toBe(200);
    await byAdmin('billing.cancel_requested');
    expect((await admin.session.post('/api/billing/subscription/resume')).status).toBe(200);
    await byAdmin('billing.resume_requested');
    expect((await admin.session.post('/api/billing/subscription/test-invoice', { outcome: 'paid' })).status).toBe(200);
    await byAdmin('billing.test_invoice');
    expect((await admin.session.post('/api/billing/portal-session')).status).toBe(200);
    await byAdmin('billing.portal_opened');
  });

  it('records a plan choice retried with its Idempotency-Key once', async () => {
    const headers = { 'idempotency-key': 'audit-plan-once' };
    const before = (await entries(admin.customerId, 'billing.plan_chosen')).length;
    for (let i = 0; i < 2; i++) expect((await admin.session.post('/api/billing/subscription', { plan: 'professional' }, headers)).status).toBe(200);
    expect((await entries(admin.customerId, 'billing.plan_chosen')).length).toBe(before + 1);
  });

  it('activates and deactivates an app, and the workflow audits its steps for the admin who asked', async () => {
    expect((await admin.session.post('/api/apps/pd-calculator/activate')).status).toBe(202);
    await byAdmin('app.activate_requested');
    await byAdmin('app.provisioned');
    await byAdmin('api_key.scopes_changed');
    await byAdmin('app.activated');
    expect((await admin.session.post('/api/apps/pd-calculator/deactivate')).status).toBe(202);
    await byAdmin('app.deactivate_requested');
    await byAdmin('app.deactivated');
  });

  it('saves (both forms) and rolls back a configuration', async () => {
    const saved = await admin.session.put('/api/apps/pd-calculator/configuration', { buttonText: 'Measure me' });
    expect(saved.status).toBe(200);
    const withWhy = await admin.session.post('/api/apps/pd-calculator/configuration/versions', { configuration: { buttonText: 'Measure' }, why: 'shorter' });
    expect(withWhy.status).toBe(201);
    const rolled = await admin.session.post('/api/apps/pd-calculator/configuration/rollback', { version: 1 });
    expect(rolled.status).toBe(200);
    const rows = await entries(admin.customerId, 'app.configuration_changed');
    expect(rows.filter((r) => r.actor_kind === 'user' && r.actor_id === admin.id)).toHaveLength(3);
  });

  it('uploads a frame catalog and goes back to the sample', async () => {
    const csv = 'sku,name,shape,material,colour,price,lensWidthMm,bridgeMm,templeMm\nA-1,Ada Round,round,acetate,black,129,49,20,145';
    expect((await admin.session.put('/api/frames', csv, { 'content-type': 'text/csv' })).status).toBe(200);
    await byAdmin('frames.replaced');
    expect((await admin.session.request('DELETE', '/api/frames')).status).toBe(200);
    await byAdmin('frames.reset');
  });

  let packId = '';
  it('buys a pack and pays it in test mode; the revenue entry is the system’s', async () => {
    const bought = await admin.session.post('/api/billing/token-packs', { pack: 'tokens_1k' });
    expect(bought.status).toBe(201);
    packId = bought.body.purchase.id;
    await byAdmin('token_pack.purchase_started');
    expect((await admin.session.post(`/api/billing/token-packs/${bought.body.purchase.id}/complete-test-payment`)).status).toBe(200);
    await byAdmin('token_pack.test_payment');
    expect(await audited(admin.customerId, 'revenue.token_pack')).toMatchObject({ actor_kind: 'system', actor_id: null });
  });

  it('lets an operator adjust tokens, extend the grace period, suspend, resume and refund the pack, each audited as the operator', async () => {
    const op = new Session(stack.api.url);
    const login = await op.post('/api/auth/login', { email: 'operator@varai.test', password: demoPassword });
    const byOperator = { actor_kind: 'operator', actor_id: login.body.user.id };
    const brand = `/api/operator/brands/${admin.customerId}`;
    expect((await op.post(`${brand}/adjustments`, { tokens: 10, reasonCode: 'service_issue' })).status).toBe(201);
    expect(await audited(admin.customerId, 'billing.adjustment_made')).toMatchObject(byOperator);
    // This cycle's test invoice was paid above: a renewal invoice of its own fails, so the brand is past due.
    const conn = stack.api.deps.orm.em.getConnection();
    const [sub] = await conn.execute<{ stripe_subscription_id: string; stripe_customer_id: string | null }[]>(
      'select b.stripe_subscription_id, c.stripe_customer_id from customer_billing b join customers c on c.id = b.customer_id where b.customer_id = ?',
      [admin.customerId],
    );
    const failed = invoiceEvent('invoice.payment_failed', { customerId: admin.customerId, stripeCustomerId: sub!.stripe_customer_id }, sub!.stripe_subscription_id, 'in_audit_renewal_failed', Date.now());
    expect((await deliverSignedEvent(stack.api.deps.stripe, stack.api.deps.config.stripe.webhookSecret, `${stack.api.url}/webhooks/stripe`, failed)).status).toBe(200);
    expect(await waitFor(async () => (await admin.session.get('/api/billing')).body.status, (status) => status === 'past_due', 10_000)).toBe('past_due');
    expect((await op.post(`${brand}/grace`, { days: 2, reason: 'customer is updating their card' })).status).toBe(200);
    expect(await audited(admin.customerId, 'billing.grace_extended')).toMatchObject(byOperator);
    expect((await op.post(`${brand}/suspension`, { action: 'suspend', reason: 'chargeback' })).status).toBe(200);
    expect(await audited(admin.customerId, 'billing.suspended_by_operator')).toMatchObject(byOperator);
    expect((await op.post(`${brand}/suspension`, { action: 'resume', reason: 'resolved' })).status).toBe(200);
    expect(await audited(admin.customerId, 'billing.resumed_by_operator')).toMatchObject(byOperator);
    expect((await op.post(`${brand}/refunds`, { kind: 'pack', id: packId, reason: 'bought by mistake' })).status).toBe(202);
    expect(await audited(admin.customerId, 'billing.refund_issued')).toMatchObject(byOperator);
  });

  it('marks a notice read, then all of them', async () => {
    const conn = stack.api.deps.orm.em.getConnection();
    for (const tag of ['one', 'two']) {
      await conn.execute(
        "insert into notifications (customer_id, kind, channel, subject, body, dedupe_key, created_at) values (?, 'usage.alert', 'portal', 's', 'b', ?, now())",
        [admin.customerId, `audit:${admin.customerId}:${tag}`],
      );
    }
    const list = await admin.session.get('/api/notifications?unread=true');
    expect((await admin.session.post(`/api/notifications/${list.body.notifications[0].id}/read`)).status).toBe(200);
    await byAdmin('notification.read');
    expect((await admin.session.post('/api/notifications/read-all')).status).toBe(200);
    await byAdmin('notification.read_all');
  });

  it('records changes of notification settings and of the SMS number, without the number', async () => {
    expect((await admin.session.put('/api/account/notification-preferences', { categories: [{ category: 'weekly_summary', email: false, sms: false }] })).status).toBe(200);
    await byAdmin('notification_preferences.updated');
    expect((await admin.session.post('/api/account/phone', { phone: '+15557654321' })).status).toBe(202);
    const sent = await byAdmin('phone.code_sent');
    expect(JSON.stringify(sent)).not.toContain('5557654321');
    const code = /\b(\d{6})\b/.exec(sms.messages.at(-1)!.body)![1];
    expect((await admin.session.post('/api/account/phone/verify', { code })).status).toBe(200);
    await byAdmin('phone.verified');
    expect((await admin.session.request('DELETE', '/api/account/phone')).status).toBe(204);
    await byAdmin('phone.removed');
  });

  it('records a copied snippet once, however often it is reported', async () => {
    for (let i = 0; i < 2; i++) expect((await admin.session.post('/api/onboarding/snippet-copied', { slug: 'pd-calculator' })).status).toBe(204);
    await byAdmin('onboarding.snippet_copied');
    expect(await entries(admin.customerId, 'onboarding.snippet_copied')).toHaveLength(1);
  });

  it('lets an operator grant and revoke a beta app, audited as the operator', async () => {
    const op = new Session(stack.api.url);
    const login = await op.post('/api/auth/login', { email: 'operator@varai.test', password: demoPassword });
    expect(login.status).toBe(200);
    const url = `/api/operator/apps/contact-lens-try-on/beta-customers/${admin.customerId}`;
    expect((await op.put(url)).status).toBe(200);
    expect(await audited(admin.customerId, 'app.beta_granted')).toMatchObject({ actor_kind: 'operator', actor_id: login.body.user.id });
    expect((await op.request('DELETE', url)).status).toBe(200);
    expect(await audited(admin.customerId, 'app.beta_revoked')).toMatchObject({ actor_kind: 'operator', actor_id: login.body.user.id });
  });

  it('left, for every audited route of the table, its entries with the declared actor kind', async () => {
    const missing: string[] = [];
    for (const [route, e] of Object.entries(expected)) {
      if ('notAudited' in e) continue;
      for (const action of e.actions) {
        const rows = await entries(admin.customerId, action);
        const kinds = new Set(rows.map((r) => r.actor_kind));
        const wanted = action === 'user.login_failed' ? 'anonymous' : e.kind;
        if (!kinds.has(wanted)) missing.push(`${route}: ${action} by ${wanted}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
