// Summarises a V8 .cpuprofile (node --cpu-prof): where the CPU went, by function and by
// package or project file, as self time and as inclusive time. Idle time is left out of the
// percentages, so they are shares of the time the process was actually busy.
// Usage: node_modules/.bin/tsx bench/cpu-profile-summary.ts <file.cpuprofile> [top=25] [fromS] [toS]
// fromS/toS (seconds since the profile began) keep one window, e.g. the measured phase
// without start-up; the bench prints that window when it profiles.
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../scripts/lib/profiles';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** node_modules/<package>, a project file, or a node: internal module. */
function place(url: string): string {
  if (!url) return '(native / VM)';
  const file = url.replace(/^file:\/\//, '');
  const nm = file.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = file.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? file);
  }
  if (file.startsWith('node:')) return file;
  return path.relative(projectRoot, file);
}

const label = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${place(n.callFrame.url)}${n.callFrame.url ? `:${n.callFrame.lineNumber + 1}` : ''}`;

function top(totals: Map<string, number>, busyUs: number, count: number): string[] {
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([k, us]) => `${((us / busyUs) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
}

function summarise(file: string, count: number, fromS: number, toS: number): string {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const selfByFn = new Map<string, number>();
  const selfByPlace = new Map<string, number>();
  const inclusiveByFn = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, us: number) => m.set(k, (m.get(k) ?? 0) + us);
  let busyUs = 0;
  let idleUs = 0;
  let atUs = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    atUs += us;
    const node = byId.get(id);
    if (!node || atUs < fromS * 1e6 || atUs >= toS * 1e6) return;
    if (node.callFrame.functionName === '(idle)') {
      idleUs += us;
      return;
    }
    busyUs += us;
    add(selfByFn, label(node), us);
    add(selfByPlace, place(node.callFrame.url) === '(native / VM)' ? node.callFrame.functionName : place(node.callFrame.url), us);
    // Each function counts once per sample, however often it recurses on the stack.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur);
      if (n && n.callFrame.functionName !== '(root)') seen.add(label(n));
    }
    for (const k of seen) add(inclusiveByFn, k, us);
  });
  return [
    `${path.basename(file)}${fromS > 0 || toS < Infinity ? ` [${fromS} s, ${toS} s)` : ''}: busy ${(busyUs / 1e6).toFixed(1)} s, idle ${(idleUs / 1e6).toFixed(1)} s`,
    '', `top self time by function (share of busy time):`, ...top(selfByFn, busyUs, count),
    '', `self time by package / project file:`, ...top(selfByPlace, busyUs, count),
    '', `inclusive time by function:`, ...top(inclusiveByFn, busyUs, count),
  ].join('\n');
}

const [file, n, from, to] = process.argv.slice(2);
if (!file) {
  console.error('usage: tsx bench/cpu-profile-summary.ts <file.cpuprofile> [top=25] [fromS] [toS]');
  process.exit(2);
}
process.stdout.write(`${summarise(file, Number(n ?? 25), Number(from ?? 0), to === undefined ? Infinity : Number(to))}\n`);
