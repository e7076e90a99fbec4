// Logs keep no secrets and no row values; public /health names what is down and nothing more.
import { Writable } from 'node:stream';
import { demoPassword } from '../../domain/catalog/demo';
import { Customer, User } from '../../domain/entities';
import { createLogger } from '../../domain/infra/logger';
import { startApi, type TestApi } from '../support/api-server';
import { Session, signUp, uniqueEmail } from '../support/http';

/** A logger built as the processes build theirs, writing into a string. */
function capturingLogger() {
  let text = '';
  const sink = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  return { logger: createLogger('info', 'test', sink), text: () => text };
}

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

describe('log redaction', () => {
  it('censors passwords, cookies, authorization headers and key secrets wherever they sit', () => {
    const { logger, text } = capturingLogger();
    logger.info(
      {
        password: 'hunter2-top',
        body: { email: 'ann@example.test', password: 'hunter2-nested', secret: 'vsk_live_plaintext' },
        req: { headers: { cookie: 'varai_session=tok3n', authorization: 'Bearer vsk_live_abc', 'set-cookie': 'varai_session=tok3n' } },
      },
      'request',
    );
    expect(text()).not.toMatch(/hunter2|vsk_live|tok3n/);
    expect(text()).toContain('ann@example.test');
    expect(text()).toContain('[redacted]');
  });

  it('strips the row values from a database error, keeping its code, table and constraint', async () => {
    const { logger, text } = capturingLogger();
    const em = api.deps.orm.em.fork();
    const customer = em.create(Customer, { name: 'Leaky Optics' });
    // The demo admin's email is taken: the INSERT fails with the statement and its values in the message.
    em.create(User, { email: 'admin@demo.varai.test', name: 'Dup', role: 'admin', customer, passwordHash: '$argon2id$v=19$m=1024,t=1,p=1$SECRETSALT$SECRETHASH' });
    const err = await em.flush().then(() => null, (e: unknown) => e);
    expect(String((err as Error).message)).toContain('SECRETHASH');
    logger.error({ err }, 'unhandled error');
    const line = text();
    expect(line).not.toMatch(/SECRETHASH|SECRETSALT|admin@demo\.varai\.test|Leaky/);
    expect(line).toContain('23505');
    expect(line).toContain('users_email_unique');
    expect(line).toContain('insert into \\"users\\"');
  });

  it('strips the parameters of a raw query that fails', async () => {
    const { logger, text } = capturingLogger();
    const err = await api.deps.orm.em.getConnection().execute('select * from users where email = ? and no_such_column = ?', ['leak@example.test', 'p4ss']).then(() => null, (e: unknown) => e);
    logger.error({ err }, 'unhandled error');
    expect(text()).not.toMatch(/leak@example\.test|p4ss/);
    expect(text()).toContain('42703');
  });

  it('logs no password of a login, failed or not', async () => {
    const { logger, text } = capturingLogger();
    const logged = await startApi({}, { logger });
    try {
      const { user } = await signUp(logged.url, { password: 'signup-secret-pw' });
      await new Session(logged.url).post('/api/auth/login', { email: user.email, password: 'wrong-secret-pw' });
      await new Session(logged.url).post('/api/auth/login', { email: uniqueEmail('nobody'), password: 'other-secret-pw' });
    } finally {
      await logged.close();
    }
    expect(text()).toContain('/api/auth/login');
    expect(text()).not.toMatch(/secret-pw|varai_session=/);
  });
});

describe('public /health', () => {
  let broken: TestApi;
  let logs: ReturnType<typeof capturingLogger>;
  beforeAll(async () => {
    logs = capturingLogger();
    broken = await startApi({ TEMPORAL_ADDRESS: '127.0.0.1:1' }, { logger: logs.logger });
  });
  afterAll(() => broken.close());

  it('names the failing dependency and nothing about it: no error text, no host', async () => {
    const res = await new Session(broken.url).get('/health');
    expect(res.status).toBe(503);
    expect(res.body.down).toEqual(['temporal']);
    expect(Object.keys(res.body.checks.temporal).sort()).toEqual(['latencyMs', 'ok']);
    expect(JSON.stringify(res.body)).not.toMatch(/127\.0\.0\.1|:1\b|error|ECONNREFUSED/i);
  });

  it('logs the failure with its error', async () => {
    await new Session(broken.url).get('/health');
    expect(logs.text()).toMatch(/health: dependencies down/);
    expect(logs.text()).toMatch(/"temporal":\{"ok":false,"latencyMs":\d+,"error":"[^"]+/);
  });

  it('shows operators the error of each failing check', async () => {
    const op = new Session(broken.url);
    expect((await op.post('/api/auth/login', { email: 'operator@varai.test', password: demoPassword })).status).toBe(200);
    const res = await op.get('/api/operator/health');
    expect(res.status).toBe(503);
    expect(res.body.checks.temporal.error).toEqual(expect.any(String));
    expect(res.body.checks.postgres).toMatchObject({ ok: true });
  });

  it('keeps the detailed view from brand staff and from anyone without a session', async () => {
    const { session } = await signUp(broken.url);
    expect((await session.get('/api/operator/health')).status).toBe(403);
    expect((await new Session(broken.url).get('/api/operator/health')).status).toBe(401);
  });
});
