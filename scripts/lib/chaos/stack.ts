// A stack the chaos suite may break: services of its own profile (its own data and ports,
// never the shared test stack), migrated and seeded, and the product's processes under the
// same supervision as `npm run up`.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, type Config } from '../../../domain/infra/config';
import { ensureInstalled, type Binaries } from '../install';
import { startMailSink } from '../mail-sink';
import { bundleWorkflows } from '../workflow-bundle';
import { migrateAndSeed } from '../prepare-database';
import { waitFor } from '../process';
import { productEntries, type ProductProcess } from '../product-processes';
import { appEnv, projectRoot, type Profile } from '../profiles';
import { startService, startStack, stopService, stopStack, type ServiceName } from '../services';
import { Supervisor, type Supervised } from '../supervision/supervisor';

export interface ChaosStack {
  profile: Profile;
  config: Config;
  apiUrl: string;
  logDir: string;
  processes: Partial<Record<ProductProcess, Supervised>>;
  /** Give-up lines of the supervisor: a process that kept crashing. */
  gaveUp: string[];
  stopService(name: ServiceName): Promise<void>;
  startService(name: ServiceName): Promise<void>;
  stop(): Promise<void>;
}

export interface ChaosStackOptions {
  profile: Profile;
  processes: ProductProcess[];
  /** The services to run; all four unless said. */
  services?: ServiceName[];
  /** Variables for the product's processes, over the profile's own. */
  env?: Record<string, string>;
  log(line: string): void;
}

/** The line each process logs once it serves; the supervisor does not know, the suite must. */
const readyLine: Record<ProductProcess, string> = { api: 'api listening', worker: 'worker running', reconciler: 'reconciler running' };

export async function startChaosStack(opts: ChaosStackOptions): Promise<ChaosStack> {
  const { profile } = opts;
  const bin: Binaries = ensureInstalled();
  // Whatever an interrupted earlier run left behind is stopped: the suite owns this stack.
  await stopStack(profile);
  await startStack(profile, bin, opts.services);
  // Receipts and notices go somewhere, so mail retries are not part of what the faults show.
  const mail = await startMailSink(profile.ports.smtp, () => undefined);
  const logDir = path.join(profile.dataDir, 'logs');
  const supervisor = new Supervisor({ log: opts.log, onGiveUp: (_name, reason) => gaveUp.push(reason) });
  const gaveUp: string[] = [];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...appEnv(profile),
    // The fair-use ceiling is not under test, and a day-long cycle never rolls over mid-run.
    CONSUME_RATE_PER_SECOND: '1000000',
    BILLING_CYCLE_LENGTH: '1d',
    ...opts.env,
    // Info, whatever the caller's level: readiness is read from each process's start-up line.
    LOG_LEVEL: 'info',
  };
  const config = loadConfig(env);
  const logFile = (name: ProductProcess) => path.join(logDir, `${name}.log`);
  const logSize = (name: ProductProcess) => (fs.existsSync(logFile(name)) ? fs.statSync(logFile(name)).size : 0);
  /** Resolves once `name` says it is ready in its log, from byte `from` on (earlier runs append there too). */
  const ready = (name: ProductProcess, from: number) =>
    waitFor(`${name} (chaos)`, async () => {
      const fd = fs.openSync(logFile(name), 'r');
      try {
        const size = fs.fstatSync(fd).size;
        const buf = Buffer.alloc(Math.max(0, size - from));
        fs.readSync(fd, buf, 0, buf.length, from);
        return buf.toString('utf8').includes(readyLine[name]);
      } finally {
        fs.closeSync(fd);
      }
    }, 180_000, logFile(name));
  try {
    await migrateAndSeed(config);
    fs.mkdirSync(logDir, { recursive: true });
    // As `npm run up` does: a killed worker comes back without bundling again.
    if (opts.processes.includes('worker')) env.WORKFLOW_BUNDLE_PATH = await bundleWorkflows(path.join(profile.dataDir, 'workflow-bundle.js'));
    const processes: ChaosStack['processes'] = {};
    const from = new Map(opts.processes.map((name) => [name, logSize(name)]));
    for (const name of opts.processes) {
      processes[name] = supervisor.start({ name, command: process.execPath, args: ['--import', 'tsx', productEntries[name]], cwd: projectRoot, env, logFile: logFile(name) });
    }
    await Promise.all(opts.processes.map((name) => ready(name, from.get(name) ?? 0)));
    return {
      profile,
      config,
      apiUrl: `http://127.0.0.1:${profile.ports.api}`,
      logDir,
      processes,
      gaveUp,
      stopService: async (name) => void (await stopService(profile, name)),
      startService: async (name) => void (await startService(profile, bin, name)),
      async stop() {
        await supervisor.stop();
        await mail.close();
        await stopStack(profile);
      },
    };
  } catch (err) {
    await supervisor.stop();
    await mail.close();
    await stopStack(profile);
    throw err;
  }
}
