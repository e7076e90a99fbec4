// Installs what the local stack needs, skipping whatever is already present, so the
// first run on a fresh machine is slow once and every later run starts in seconds.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { log, step } from './log';

const temporalModule = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';
const stripeMockModule = 'github.com/stripe/stripe-mock@latest';

function which(cmd: string): string | null {
  const r = spawnSync('bash', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function goBinDir(): string {
  const gobin = process.env.GOBIN;
  if (gobin) return gobin;
  const gopath = which('go') ? execFileSync('go', ['env', 'GOPATH'], { encoding: 'utf8' }).trim() : '';
  return path.join(gopath || path.join(os.homedir(), 'go'), 'bin');
}

function goInstall(binary: string, module: string, what: string): string {
  const found = which(binary) ?? (fs.existsSync(path.join(goBinDir(), binary)) ? path.join(goBinDir(), binary) : null);
  if (found) return found;
  if (!which('go')) throw new Error(`${binary} is missing and Go is not installed; install Go ≥ 1.22 first`);
  step(`building ${what} with go install (first run only, ${binary === 'temporal' ? 'several minutes' : 'about a minute'})`);
  const r = spawnSync('go', ['install', module], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`go install ${module} failed (exit ${r.status})`);
  return path.join(goBinDir(), binary);
}

let aptUpdated = false;
function aptInstall(packages: string[], why: string): void {
  if (process.getuid?.() !== 0) throw new Error(`${packages.join(', ')} missing; run as root or: sudo apt-get install -y ${packages.join(' ')}`);
  step(`installing ${packages.join(', ')} with apt-get (${why}; first run only)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    const u = spawnSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
    if (u.status !== 0) throw new Error('apt-get update failed');
    aptUpdated = true;
  }
  const r = spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...packages], { stdio: 'inherit', env });
  if (r.status !== 0) throw new Error(`apt-get install ${packages.join(' ')} failed`);
}

/** Debian keeps PostgreSQL's server binaries off PATH, under /usr/lib/postgresql/<major>/bin. */
function findPostgresBin(): string | null {
  const onPath = which('initdb');
  if (onPath) return path.dirname(fs.realpathSync(onPath));
  const base = '/usr/lib/postgresql';
  if (!fs.existsSync(base)) return null;
  const majors = fs.readdirSync(base).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a));
  for (const m of majors) if (fs.existsSync(path.join(base, m, 'bin', 'initdb'))) return path.join(base, m, 'bin');
  return null;
}

export interface Binaries {
  postgresBin: string;
  redisServer: string;
  temporal: string;
  stripeMock: string;
  chromium?: string;
}

export function ensureInstalled(opts: { chromium?: boolean } = {}): Binaries {
  let postgresBin = findPostgresBin();
  if (!postgresBin) {
    aptInstall(['postgresql'], 'PostgreSQL server');
    postgresBin = findPostgresBin();
    if (!postgresBin) throw new Error('postgresql installed but initdb not found');
  }
  let redisServer = which('redis-server');
  if (!redisServer) {
    aptInstall(['redis-server'], 'Redis server');
    redisServer = which('redis-server') ?? '/usr/bin/redis-server';
  }
  const temporal = goInstall('temporal', temporalModule, 'the Temporal CLI dev server');
  const stripeMock = goInstall('stripe-mock', stripeMockModule, 'stripe-mock');
  let chromium: string | undefined;
  if (opts.chromium) {
    chromium = which('chromium') ?? undefined;
    if (!chromium) {
      aptInstall(['chromium'], 'headless browser for the portal tests');
      chromium = '/usr/bin/chromium';
    }
  }
  log(`tools: postgres ${postgresBin}, redis ${redisServer}, temporal ${temporal}, stripe-mock ${stripeMock}`);
  return { postgresBin, redisServer, temporal, stripeMock, chromium };
}
