// One lint setup for the whole repo. workflows/ gets extra rules: workflow code is replayed,
// so it may not touch Node built-ins, I/O clients or sources of non-determinism.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['node_modules/**', 'web/**', '.data/**', 'dist/**', 'coverage/**', 'migrations/.snapshot-*.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({ name, message: 'Workflows are replayed: no Node built-ins. Use an activity.' })),
            ...['@temporalio/client', '@temporalio/worker', '@temporalio/activity', 'stripe', 'ioredis', 'pg', 'koa', 'pino', 'nodemailer'].map((name) => ({
              name,
              message: 'Workflows do no I/O: call an activity instead.',
            })),
          ],
          patterns: [
            { group: ['@mikro-orm/*'], message: 'Workflows do no I/O: call an activity instead.' },
            // Relative paths at any depth (workflows/billing/steps.ts reaches '../../activities').
            { regex: '^(\\.\\./)+(activities|clients|reconciler|stripe-relay|api)(/.*)?$', allowTypeImports: true, message: 'Workflows import activities as types only, through proxyActivities, and never their callers.' },
            { regex: '^(\\.\\./)+domain/(?!billing/vocabulary$|catalog/plans$).*$', allowTypeImports: true, message: 'Workflows may import only the import-free domain modules (billing/vocabulary, catalog/plans) as values.' },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Non-deterministic in intent: take time from the input or workflow info.' },
        { object: 'Math', property: 'random', message: 'Non-deterministic: derive ids from business keys or use uuid4() from @temporalio/workflow.' },
        { object: 'crypto', property: 'randomUUID', message: 'Non-deterministic: use uuid4() from @temporalio/workflow.' },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'No environment in workflows: pass values in the input.' },
        { name: 'require', message: 'Import at the top; no dynamic loading in workflows.' },
        { name: 'fetch', message: 'Workflows do no I/O: call an activity instead.' },
        { name: 'setInterval', message: 'Use sleep() or condition() from @temporalio/workflow.' },
        { name: 'performance', message: 'Non-deterministic clock.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'new Date() reads the clock: take time from the input or workflow info.' },
      ],
    },
  },
);
