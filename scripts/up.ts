// `npm run up`: the whole product on this machine. Installs what is missing, starts the
// services, migrates and seeds, starts the worker, the reconciler and the API (which serves the
// portal) under supervision, prints the URLs, and stops everything it started on Ctrl-C or when
// one of them keeps crashing.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { demoCustomer, demoPassword, demoUsers } from '../domain/catalog/demo';
import { createTemporalClient } from '../clients/temporal-client';
import { loadConfig } from '../domain/infra/config';
import { createOrm } from '../domain/infra/db';
import { createStripe } from '../domain/infra/stripe';
import { ensureInstalled } from './lib/install';
import { log, step } from './lib/log';
import { migrateUp } from './lib/migrations';
import { waitFor } from './lib/process';
import { appEnv, loadProfile, projectRoot } from './lib/profiles';
import { productEntries, productProcesses } from './lib/product-processes';
import { seedDemoThroughWorkflows } from './lib/demo-workflows';
import { seed } from './lib/seed';
import { Supervisor } from './lib/supervision/supervisor';
import { startMailSink, type MailSink } from './lib/mail-sink';
import { startSmsSink, type SmsSink } from './lib/sms-sink';
import { startStack, type Stack } from './lib/services';
import { syncStripeCatalog } from './lib/stripe-sync';
import { bundleWorkflows } from './lib/workflow-bundle';

const profile = loadProfile('dev');
const env = { ...process.env, ...appEnv(profile) };
const config = loadConfig(env);
const logDir = path.join(profile.dataDir, 'logs');
const mailDir = path.join(profile.dataDir, 'mail');
const smsDir = path.join(profile.dataDir, 'sms');
// A crashed process is restarted with back-off while the others keep serving; a crash loop
// stops the stack with one line saying which process and why.
const supervisor = new Supervisor({
  log,
  onGiveUp(name, reason) {
    log(`stopping everything: ${reason}; see ${path.join(logDir, `${name}.log`)}`);
    void shutdown(1);
  },
});
let stack: Stack | undefined;
let mailSink: MailSink | undefined;
let smsSink: SmsSink | undefined;
let stopping = false;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

function buildPortalIfStale(): void {
  const built = path.join(projectRoot, 'web/dist/index.html');
  const sources = Math.max(newestMtime(path.join(projectRoot, 'web/src')), fs.statSync(path.join(projectRoot, 'web/index.html')).mtimeMs);
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= sources) return;
  step('building the portal');
  const r = spawnSync('node_modules/.bin/vite', ['build', '--config', 'web/vite.config.mts', '--logLevel', 'error'], { cwd: projectRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('portal build failed');
}

async function shutdown(code: number): Promise<void> {
  // npm forwards a second signal after Ctrl-C; the first shutdown is already under way.
  if (stopping) return;
  stopping = true;
  log('stopping…');
  await supervisor.stop();
  await mailSink?.close();
  await smsSink?.close();
  await stack?.stop();
  log('stopped');
  process.exit(code);
}

let demoStorefrontKey: string | undefined;

/**
 * After the worker and the API are up: the demo brand's plan, activations and token pack
 * through their workflows (a second run finds them done). A failure is reported, not fatal:
 * the stack still serves, and the next `npm run up` finishes the job.
 */
async function seedDemoBrand(api: string): Promise<void> {
  step('the demo brand: plan, activations and a token pack, through their workflows');
  const temporal = createTemporalClient(config);
  const admin = demoUsers.find((u) => u.role === 'admin')!;
  try {
    const r = await seedDemoThroughWorkflows({ apiUrl: api, temporal, taskQueuePrefix: config.temporal.taskQueuePrefix, customerId: demoCustomer.id, adminEmail: admin.email, password: demoPassword });
    const did = [r.planStarted && 'plan started', r.activationsRequested.length && `${r.activationsRequested.length} apps activated`, r.packBought && 'token pack bought'].filter(Boolean);
    log(did.length ? `demo brand: ${did.join(', ')} (Temporal UI: CustomerId = "${demoCustomer.id}")` : 'demo brand: already set up');
  } catch (err) {
    log(`demo brand not fully set up (the stack keeps running; the next npm run up retries): ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    await temporal.connection.close();
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const bin = ensureInstalled();
  stack = await startStack(profile, bin);
  step('migrating and seeding');
  await migrateUp(config);
  const orm = await createOrm(config);
  try {
    // The brand and its users only: its plan, apps and pack come from the workflows below.
    const seeded = await seed(orm, { demo: true, demoUsage: 'workflows', storefrontOrigin: `http://127.0.0.1:${profile.ports.api}` });
    demoStorefrontKey = seeded.demoStorefrontKey;
    await syncStripeCatalog(orm, createStripe(config));
  } finally {
    await orm.close();
  }
  buildPortalIfStale();
  fs.mkdirSync(logDir, { recursive: true });
  // Receipts and notices land here as .eml files: no mail provider is needed to demo a purchase.
  fs.mkdirSync(mailDir, { recursive: true });
  let caught = 0;
  mailSink = await startMailSink(profile.ports.smtp, (mail) => {
    const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${++caught}.eml`;
    fs.writeFileSync(path.join(mailDir, name), mail.raw);
  });
  // SMS notices and phone codes land here as .json files, answered as Twilio would.
  fs.mkdirSync(smsDir, { recursive: true });
  smsSink = await startSmsSink(profile.ports.sms, (sms) => {
    fs.writeFileSync(path.join(smsDir, `${sms.at.replace(/[:.]/g, '-')}-${sms.sid}.json`), `${JSON.stringify(sms, null, 2)}\n`);
  });
  step('bundling the workflows');
  // Once per run: a worker the supervisor restarts loads this instead of bundling again.
  env.WORKFLOW_BUNDLE_PATH = await bundleWorkflows(path.join(profile.dataDir, 'workflow-bundle.js'));
  step('starting the worker, the reconciler and the API');
  for (const name of productProcesses) {
    // node --import tsx, not the tsx wrapper: one process per name, so a kill -9 of the pid in
    // the log really ends it, and its restart finds the port free.
    supervisor.start({ name, command: process.execPath, args: ['--import', 'tsx', productEntries[name]], cwd: projectRoot, env, logFile: path.join(logDir, `${name}.log`) });
  }
  const api = `http://127.0.0.1:${profile.ports.api}`;
  await waitFor('API health', async () => (await fetch(`${api}/health`)).status === 200, 60_000, path.join(logDir, 'api.log'));
  await seedDemoBrand(api);

  const pad = (s: string) => s.padEnd(12);
  const lines = [
    '',
    `VARAi Connected Apps is up (${((Date.now() - started) / 1000).toFixed(1)} s)`,
    `  ${pad('Portal')}${api}/`,
    `  ${pad('API')}${api}/api`,
    `  ${pad('OpenAPI')}${api}/openapi.json`,
    `  ${pad('Health')}${api}/health`,
    `  ${pad('Temporal UI')}${config.temporal.uiUrl}`,
    ...(demoStorefrontKey ? [`  ${pad('Storefront')}${api}/demo/storefront?key=${demoStorefrontKey}&app=pd-calculator (the widget, on a test key)`] : []),
    `  ${pad('Logs')}${logDir}`,
    `  ${pad('Mail')}${mailDir} (local SMTP catcher on ${mailSink.url})`,
    `  ${pad('SMS')}${smsDir} (local Twilio-compatible catcher on ${smsSink.url})`,
    '',
    `  Demo logins (password ${demoPassword}):`,
    ...demoUsers.map((u) => `    ${pad(u.role)}${u.email}`),
    '',
    'Press Ctrl-C to stop everything this command started.',
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  void shutdown(1);
});
