// The lint setup is a safety net for replay: prove it catches what it claims to.
// Through the CLI, as `npm test` runs it: ESLint loads its config with a dynamic import,
// which jest's module sandbox does not allow in-process.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

async function ruleIds(code: string, file = 'workflows/example.ts'): Promise<string[]> {
  const r = spawnSync(process.execPath, ['node_modules/eslint/bin/eslint.js', '--format', 'json', '--stdin', '--stdin-filename', file], { cwd: root, input: code, encoding: 'utf8' });
  const [result] = JSON.parse(r.stdout) as { messages: { ruleId: string | null; message: string }[] }[];
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

describe('workflow lint rules', () => {
  it.each([
    ["import fs from 'node:fs';\nexport const a = fs;", '@typescript-eslint/no-restricted-imports'],
    ["import { Client } from '@temporalio/client';\nexport const a = Client;", '@typescript-eslint/no-restricted-imports'],
    ["import { createOrm } from '../domain/infra/db';\nexport const a = createOrm;", '@typescript-eslint/no-restricted-imports'],
    ["import { sendBillingMessage } from '../clients/billing';\nexport const a = sendBillingMessage;", '@typescript-eslint/no-restricted-imports'],
    ['export const a = Date.now();', 'no-restricted-properties'],
    ['export const a = Math.random();', 'no-restricted-properties'],
    ['export const a = new Date();', 'no-restricted-syntax'],
    ['export const a = process.env.X;', 'no-restricted-globals'],
  ])('refuses %j in workflows/', async (code, rule) => {
    expect(await ruleIds(code)).toContain(rule);
  });

  it('catches every rule in a file two folders below workflows/', async () => {
    const bad = [
      "import { createOrm } from '../../../domain/infra/db';",
      "import { createActivities } from '../../../activities';",
      "import Redis from 'ioredis';",
      'export const a = [createOrm, createActivities, Redis, Date.now(), Math.random(), new Date(), process.env.X];',
    ].join('\n');
    const rules = await ruleIds(bad, 'workflows/billing/deep/bad.ts');
    expect(rules.filter((r) => r === '@typescript-eslint/no-restricted-imports')).toHaveLength(3);
    expect(rules.filter((r) => r === 'no-restricted-properties')).toHaveLength(2);
    expect(rules).toEqual(expect.arrayContaining(['no-restricted-syntax', 'no-restricted-globals']));
  });

  it('allows the import-free billing vocabulary as a value at any depth', async () => {
    expect(await ruleIds("import { planRank } from '../../domain/billing/vocabulary';\nexport const a = planRank;", 'workflows/billing/rules-example.ts')).toEqual([]);
  });

  it('allows type-only imports of activities in workflows/', async () => {
    expect(await ruleIds("import type { Activities } from '../activities';\nexport type A = Activities;")).toEqual([]);
  });

  it('leaves the same code alone outside workflows/', async () => {
    expect(await ruleIds("import fs from 'node:fs';\nexport const a = [fs, Date.now()];", 'activities/example.ts')).toEqual([]);
  });
});
