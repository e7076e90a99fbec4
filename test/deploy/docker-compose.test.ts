// Static checks of the deploy files against the code: no Docker needed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { configEnvKeys, loadConfig } from '../../domain/infra/config';
import { searchAttributes } from '../../temporal.config';

const root = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

type Env = Record<string, string>;
type DependsOn = string[] | Record<string, { condition?: string }>;
interface Service {
  image?: string;
  build?: { context: string; target?: string };
  environment?: Env | string[];
  command?: string | string[];
  entrypoint?: string | string[];
  ports?: (string | number | { target: number; published?: string | number })[];
  volumes?: (string | { source: string; target: string })[];
  depends_on?: DependsOn;
  healthcheck?: { test: string | string[] };
}
interface Compose {
  'x-app-env': Env;
  services: Record<string, Service>;
}

// merge: the migrate job extends the shared block with `<<: *app-env`, as Compose reads it.
const compose = parse(read('docker-compose.yml'), { merge: true }) as Compose;
const services = compose.services;
const packageScripts = Object.keys(JSON.parse(read('package.json')).scripts as Record<string, string>);
const appServices = ['api', 'worker', 'reconciler', 'migrate'] as const;

/**
 * What a deployment must put in `.env`: compose refuses to start without these (`${VAR:?…}`),
 * so the stack never runs on a public default secret.
 */
const deployerEnv: Env = { STRIPE_SECRET_KEY: 'rk_live_51Example', STRIPE_WEBHOOK_SECRET: 'whsec_0123456789abcdef' };

/** Compose interpolation with only `set` in the environment (by default, the required secrets). */
function interpolate(value: string, set: Env = deployerEnv): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (match, name: string, op, arg) => {
    if (match === '$$') return '$';
    const given = set[name];
    if (op === '-' || op === ':-') return given === undefined || (op === ':-' && given === '') ? arg : given;
    if (op === '?' || op === ':?') {
      if (given === undefined || (op === ':?' && given === '')) throw new Error(`compose requires a value: ${match}`);
      return given;
    }
    return given ?? '';
  });
}

function service(name: string): Service {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

function envOf(name: string): Env {
  const raw = service(name).environment ?? {};
  const pairs = Array.isArray(raw) ? raw.map((line) => line.split(/=(.*)/s, 2) as [string, string]) : Object.entries(raw);
  return Object.fromEntries(pairs.map(([key, value]) => [key, interpolate(String(value ?? ''))]));
}

/** One environment variable of a service, after interpolation; a missing one fails the test. */
function envVar(name: string, key: string): string {
  const value = envOf(name)[key];
  if (value === undefined) throw new Error(`${name} has no ${key}`);
  return value;
}

/** `--name X --type Y` pairs of a command line. */
const attributePairs = (script: string) =>
  [...script.matchAll(/--name\s+(\w+)\s+--type\s+(\w+)/g)].map((m) => ({ name: m[1] ?? '', type: m[2] ?? '' }));

function dependenciesOf(of: Service): Record<string, string> {
  const deps = of.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((name) => [name, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([name, d]) => [name, d.condition ?? 'service_started']));
}

function containerPorts(of: Service): number[] {
  return (of.ports ?? []).map((port) => {
    if (typeof port === 'object') return Number(port.target);
    const container = String(port).split(':').pop() ?? '';
    return Number(container.split('/')[0]);
  });
}

/** A service's command as one string, entrypoint first, the way the container runs it. */
function commandLine(of: Service): string {
  const part = (v?: string | string[]) => (Array.isArray(v) ? v.join(' ') : (v ?? ''));
  return interpolate(`${part(of.entrypoint)} ${part(of.command)}`);
}

function argv(of: Service): string[] {
  const command = of.command ?? [];
  return Array.isArray(command) ? command.map(String) : command.split(/\s+/).filter(Boolean);
}

/** Dockerfile stages by name, each with its instructions (continuation lines joined). */
function dockerfileStages(): Map<string, string[]> {
  const lines = read('Dockerfile')
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const stages = new Map<string, string[]>();
  let current: string[] = [];
  for (const line of lines) {
    const from = /^FROM\s+\S+(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) {
      current = [];
      if (from[1]) stages.set(from[1], current);
    } else {
      current.push(line);
    }
  }
  return stages;
}

/** An instruction's arguments, with the JSON-array (exec) form flattened to words. */
function instructionArgs(line: string): string {
  const args = line.replace(/^\S+\s+/, '');
  return args.startsWith('[') ? (JSON.parse(args) as string[]).join(' ') : args;
}

/** The command a stage runs: its last CMD. */
function stageCommand(instructions: string[]): string {
  return instructionArgs(instructions.filter((line) => /^CMD\s/i.test(line)).pop() ?? 'CMD ');
}

const npmScriptsIn = (text: string) => [...text.matchAll(/npm run ([\w:.-]+)/g)].map((m) => m[1] ?? '');

describe('docker-compose.yml', () => {
  it('defines every service of the stack', () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining([
        'postgres',
        'redis',
        'temporal',
        'temporal-setup',
        'temporal-ui',
        'stripe-mock',
        'migrate',
        'worker',
        'api',
        'portal',
      ]),
    );
  });

  it.each(appServices)('gives %s only environment variables that domain/infra/config.ts reads', (name) => {
    const unknown = Object.keys(envOf(name)).filter((key) => !(configEnvKeys as string[]).includes(key));
    expect(unknown).toEqual([]);
  });

  it.each(['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'])('requires %s from the deployer, with no default to fall back to', (name) => {
    expect(compose['x-app-env'][name]).toMatch(new RegExp(`^\\$\\{${name}:\\?.+\\}$`));
    expect(() => interpolate(compose['x-app-env'][name]!, {})).toThrow(name);
  });

  it('ships none of the public development secrets', () => {
    for (const secret of ['whsec_local_dev_secret', 'sk_test_123']) expect(read('docker-compose.yml')).not.toContain(secret);
  });

  it('starts the app in production with Secure cookies once the deployer sets the Stripe secrets', () => {
    const env = envOf('api');
    expect(env.NODE_ENV).toBe('production');
    expect(env.COOKIE_SECURE).toBe('true');
    expect(() => loadConfig(env)).not.toThrow();
  });

  it.each(appServices)('gives %s the shared x-app-env block (and only the migrate job the owner’s URL)', (name) => {
    const extra = name === 'migrate' ? { DATABASE_MIGRATION_URL: expect.any(String) } : {};
    expect(service(name).environment).toEqual({ ...compose['x-app-env'], ...extra });
  });

  it('points DATABASE_URL at the postgres service on the PostgreSQL port', () => {
    const url = new URL(envVar('api', 'DATABASE_URL'));
    expect(services[url.hostname]?.image).toMatch(/^postgres:/);
    expect(url.port || '5432').toBe('5432');
  });

  it('migrates as the user that postgres creates, with the password it is initialised with', () => {
    const url = new URL(envVar('migrate', 'DATABASE_MIGRATION_URL'));
    const postgres = envOf('postgres');
    expect({ host: url.hostname, database: url.pathname.slice(1), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) }).toEqual({
      host: 'postgres',
      database: postgres.POSTGRES_DB,
      user: postgres.POSTGRES_USER,
      password: envVar('postgres', 'POSTGRES_PASSWORD'),
    });
  });

  it('runs the app as a role of its own on the same database, not as the owner', () => {
    const url = new URL(envVar('api', 'DATABASE_URL'));
    expect(url.pathname.slice(1)).toBe(envOf('postgres').POSTGRES_DB);
    expect(decodeURIComponent(url.username)).not.toBe(envOf('postgres').POSTGRES_USER);
  });

  it('points REDIS_URL at redis:6379', () => {
    const url = new URL(envVar('api', 'REDIS_URL'));
    expect({ protocol: url.protocol, host: url.hostname, port: url.port || '6379' }).toEqual({
      protocol: 'redis:',
      host: 'redis',
      port: '6379',
    });
  });

  it('runs redis with an append-only file fsynced every second', () => {
    const args = argv(service('redis'));
    expect(args[args.indexOf('--appendonly') + 1]).toBe('yes');
    expect(args[args.indexOf('--appendfsync') + 1]).toBe('everysec');
  });

  it('points TEMPORAL_ADDRESS at temporal:7233', () => {
    expect(envVar('api', 'TEMPORAL_ADDRESS')).toBe('temporal:7233');
  });

  it('keeps temporal in the postgres server with the same credentials', () => {
    const temporal = envOf('temporal');
    const postgres = envOf('postgres');
    expect(temporal).toMatchObject({
      DB: 'postgres12',
      DB_PORT: '5432',
      POSTGRES_SEEDS: 'postgres',
      POSTGRES_USER: postgres.POSTGRES_USER,
      POSTGRES_PWD: postgres.POSTGRES_PASSWORD,
    });
  });

  it('registers exactly CustomerId, PlanTier and BillingStatus as Keyword search attributes', () => {
    const script = commandLine(service('temporal-setup'));
    expect(script).toContain('temporal operator search-attribute create');
    const registered = attributePairs(script).map(({ name, type }) => `${name}:${type}`);
    expect(registered.sort()).toEqual(['BillingStatus:Keyword', 'CustomerId:Keyword', 'PlanTier:Keyword']);
  });

  it('registers the search attributes that temporal.config.ts declares, with their types', () => {
    const script = commandLine(service('temporal-setup'));
    // The CLI spells types Keyword; the SDK's SearchAttributeType spells them KEYWORD.
    const registered = attributePairs(script).map(({ name, type }) => `${name}:${type.toUpperCase()}`);
    const declared = Object.values(searchAttributes).map((key) => `${key.name}:${key.type}`);
    expect(registered.sort()).toEqual(declared.sort());
  });

  it('registers the search attributes in the namespace and server the app uses', () => {
    const setup = envOf('temporal-setup');
    const app = envOf('api');
    expect({ address: setup.TEMPORAL_ADDRESS, namespace: setup.TEMPORAL_NAMESPACE }).toEqual({
      address: app.TEMPORAL_ADDRESS,
      namespace: app.TEMPORAL_NAMESPACE,
    });
  });

  it('publishes API_PORT from the api container', () => {
    expect(containerPorts(service('api'))).toContain(Number(envVar('api', 'API_PORT')));
  });

  it('proxies the public edge to the api on API_PORT through deploy/nginx.conf', () => {
    const mounted = (service('portal').volumes ?? []).map(String);
    expect(mounted.some((v) => v.startsWith('./deploy/nginx.conf:'))).toBe(true);
    expect(read('deploy/nginx.conf')).toMatch(new RegExp(`server\\s+api:${envVar('api', 'API_PORT')}\\b`));
  });

  it('depends only on services the file defines', () => {
    const undefinedDeps = Object.entries(services).flatMap(([name, of]) =>
      Object.keys(dependenciesOf(of))
        .filter((dep) => !(dep in services))
        .map((dep) => `${name} -> ${dep}`),
    );
    expect(undefinedDeps).toEqual([]);
  });

  it('waits for service_healthy only on services that define a healthcheck', () => {
    const unhealthy = Object.entries(services).flatMap(([name, of]) =>
      Object.entries(dependenciesOf(of))
        .filter(([dep, condition]) => condition === 'service_healthy' && !services[dep]?.healthcheck)
        .map(([dep]) => `${name} -> ${dep}`),
    );
    expect(unhealthy).toEqual([]);
  });

  it('starts api and worker only after migrate and temporal-setup completed successfully', () => {
    for (const name of ['api', 'worker']) {
      expect(dependenciesOf(service(name))).toMatchObject({
        migrate: 'service_completed_successfully',
        'temporal-setup': 'service_completed_successfully',
      });
    }
  });
});

describe('Dockerfile', () => {
  const stages = dockerfileStages();

  it.each(appServices)('has the build target that compose uses for %s', (name) => {
    const target = service(name).build?.target ?? '';
    expect([...stages.keys()]).toContain(target);
  });

  it('runs only npm scripts that package.json defines', () => {
    const used = [...stages.values()]
      .flat()
      .filter((line) => /^(RUN|CMD|ENTRYPOINT)\s/i.test(line))
      .flatMap((line) => npmScriptsIn(instructionArgs(line)));
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((script) => !packageScripts.includes(script))).toEqual([]);
  });

  it.each([
    ['api', ['api']],
    ['worker', ['worker']],
    ['migrate', ['migrate', 'seed']],
  ])('starts the %s target with its npm scripts in order', (target, scripts) => {
    expect(npmScriptsIn(stageCommand(stages.get(target) ?? []))).toEqual(scripts);
  });

  it('builds the portal with npm run build:web', () => {
    const build = stages.get('build') ?? [];
    expect(build).toContain('RUN npm run build:web');
  });

  it('runs the app as a non-root user', () => {
    const runtime = stages.get('runtime') ?? [];
    const user = runtime.filter((line) => /^USER\s/i.test(line)).pop();
    expect(user).toMatch(/^USER\s+(?!root\b|0\b)\S+/i);
  });
});

describe('.dockerignore', () => {
  it('keeps node_modules, .data, web/dist, .git and coverage out of the build context', () => {
    const ignored = read('.dockerignore')
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', '.data', 'web/dist', '.git', 'coverage']));
  });
});
