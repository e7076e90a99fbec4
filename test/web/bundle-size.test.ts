// The portal's initial JavaScript (the entry chunk, its modulepreloads and the chunks it imports
// statically) must stay at or under 150 KB gzip: each page is its own chunk, loaded on the route.
// Reads web/dist as globalSetup built it, and prints the figure.
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { projectRoot } from '../../scripts/lib/profiles';

const dist = path.join(projectRoot, 'web/dist');
const budgetBytes = 150 * 1024;

/** Chunks the browser must fetch before the first page draws: the entry and what it imports statically, transitively. */
function initialChunks(): string[] {
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const entry = /<script type="module"[^>]*src="\/([^"]+\.js)"/.exec(html)?.[1];
  if (!entry) throw new Error('no module entry in web/dist/index.html');
  const preloads = [...html.matchAll(/<link rel="modulepreload"[^>]*href="\/([^"]+\.js)"/g)].map((m) => m[1]!);
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = fs.readFileSync(path.join(dist, file), 'utf8');
    // Static imports only (`import{…}from"./x.js"`, `import"./x.js"`); `import("./x.js")` is a route's lazy chunk.
    for (const m of code.matchAll(/(?:^|[;\n}])\s*import\s*(?:[^"'()]*?from\s*)?["']\.\/([^"']+\.js)["']/g)) visit(path.posix.join(path.posix.dirname(file), m[1]!));
  };
  for (const f of [entry, ...preloads]) visit(f);
  return [...seen];
}

describe('portal bundle size', () => {
  it('keeps the initial JavaScript at or under 150 KB gzip', () => {
    const chunks = initialChunks();
    const sizes = chunks.map((f) => ({ f, gzip: gzipSync(fs.readFileSync(path.join(dist, f))).length }));
    const total = sizes.reduce((sum, s) => sum + s.gzip, 0);
    console.log(`initial portal JS: ${(total / 1024).toFixed(1)} KB gzip in ${chunks.length} chunk(s): ${sizes.map((s) => `${s.f} ${(s.gzip / 1024).toFixed(1)} KB`).join(', ')}`);
    expect(total).toBeLessThanOrEqual(budgetBytes);
  });

  it('loads each page as its own chunk, not in the entry', () => {
    expect(initialChunks().some((f) => /Page-/.test(f))).toBe(false);
  });
});
