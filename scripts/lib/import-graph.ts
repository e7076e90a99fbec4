// The project's own import graph, type-only imports included (they tie files together for a
// reader as much as value imports do), and the circles in it. Read syntactically with the
// TypeScript scanner, so it is fast and needs no type-check.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export type ImportGraph = Map<string, string[]>;

const sourceExt = /\.(ts|svelte)$/;
const skipDirs = new Set(['node_modules', '.data', 'dist', 'coverage', 'fixtures']);

function listSources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return skipDirs.has(e.name) ? [] : listSources(full);
    return sourceExt.test(e.name) && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** A .svelte file's imports sit in its <script> blocks. */
function scriptText(file: string): string {
  const text = fs.readFileSync(file, 'utf8');
  if (!file.endsWith('.svelte')) return text;
  return [...text.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
}

function resolve(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), spec);
  const candidates = [base, `${base}.ts`, `${base}.svelte`, path.join(base, 'index.ts'), base.replace(/\.js$/, '.ts')];
  return candidates.find((c) => sourceExt.test(c) && fs.existsSync(c) && fs.statSync(c).isFile()) ?? null;
}

/** Files under the given folders (relative to root) and the project files each imports. */
export function importGraph(root: string, folders: string[]): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const folder of folders) {
    const dir = path.join(root, folder);
    if (!fs.existsSync(dir)) continue;
    for (const file of listSources(dir)) {
      const { importedFiles } = ts.preProcessFile(scriptText(file), true, true);
      const targets = importedFiles.map((i) => resolve(file, i.fileName)).filter((t): t is string => t !== null);
      graph.set(path.relative(root, file), [...new Set(targets.map((t) => path.relative(root, t)))]);
    }
  }
  return graph;
}

/** Strongly connected components of more than one file (or a file importing itself): each is a circle. */
export function importCircles(graph: ImportGraph): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const circles: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) !== idx.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) circles.push(component.sort());
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return circles;
}
