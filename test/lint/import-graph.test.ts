// The house rules of the layout, checked on every run: no import circles (type-only imports
// count, since they tie files together for a reader too), and each folder imports only the
// floors it may. docs/ARCHITECTURE.md opens with the same map.
import path from 'node:path';
import { importCircles, importGraph, type ImportGraph } from '../../scripts/lib/import-graph';

const root = path.resolve(__dirname, '../..');
const checked = ['api', 'activities', 'clients', 'reconciler', 'stripe-relay', 'workflows', 'domain', 'scripts', 'web/src', 'bench'];
const graph = importGraph(root, [...checked, 'test']);

const folderOf = (file: string) => (file.startsWith('web/src/') ? 'web/src' : file.includes('/') ? file.split('/')[0]! : file);
/** What a caller of a workflow may see of it: the messages, and the state type a query answers with. */
const workflowBoundary = /^workflows\/[a-z-]+\/(messages|state)\.ts$/;

const mayImport: Record<string, (target: string) => boolean> = {
  domain: (t) => folderOf(t) === 'domain',
  workflows: (t) => ['workflows', 'activities', 'temporal.config.ts'].includes(folderOf(t)) || /^domain\/(billing\/vocabulary|catalog\/plans|audit\/actor)\.ts$/.test(t),
  clients: (t) => ['clients', 'domain', 'temporal.config.ts'].includes(folderOf(t)) || workflowBoundary.test(t),
  activities: (t) => ['activities', 'clients', 'domain', 'temporal.config.ts'].includes(folderOf(t)),
  'stripe-relay': (t) => ['stripe-relay', 'clients', 'domain', 'temporal.config.ts'].includes(folderOf(t)) || workflowBoundary.test(t),
  reconciler: (t) => ['reconciler', 'stripe-relay', 'clients', 'domain', 'temporal.config.ts'].includes(folderOf(t)),
  api: (t) => ['api', 'clients', 'stripe-relay', 'domain', 'temporal.config.ts'].includes(folderOf(t)) || workflowBoundary.test(t),
  'web/src': (t) => folderOf(t) === 'web/src' || t === 'domain/roles.ts' || t === 'domain/catalog/plans.ts',
  scripts: (t) => folderOf(t) !== 'test' && folderOf(t) !== 'bench',
  bench: (t) => folderOf(t) !== 'test',
};

function strayImports(g: ImportGraph): string[] {
  return [...g].flatMap(([file, targets]) => {
    const rule = mayImport[folderOf(file)];
    return rule ? targets.filter((t) => !rule(t)).map((t) => `${file} → ${t}`) : [];
  });
}

describe('import graph', () => {
  it('has no import circles in the product folders', () => {
    const product = new Map([...graph].filter(([f]) => checked.includes(folderOf(f))));
    expect(importCircles(product)).toEqual([]);
  });

  it('lets each folder import only the floors the architecture map allows', () => {
    expect(strayImports(graph)).toEqual([]);
  });

  it('finds a circle through type-only imports', () => {
    expect(importCircles(new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', ['a.ts']], ['d.ts', ['a.ts']]]))).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });

  it('reads imports from Svelte components and type-only imports', () => {
    expect(graph.get('web/src/App.svelte')?.length).toBeGreaterThan(0);
    expect(graph.get('workflows/billing/steps.ts')).toContain('activities/index.ts');
  });

  it('reports a file that imports a floor above it', () => {
    expect(strayImports(new Map([['domain/x.ts', ['api/app.ts']]]))).toEqual(['domain/x.ts → api/app.ts']);
  });
});
