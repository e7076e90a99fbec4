// Starts (or reuses) the test stack, migrates and seeds it, bundles workflows once and
// builds the portal, so every test file runs against the same real services.
import { bundleWorkflowCode } from '@temporalio/worker';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../domain/infra/config';
import { workflowsPath } from '../../activities/worker';
import { ensureInstalled } from '../../scripts/lib/install';
import { migrateAndSeed } from '../../scripts/lib/prepare-database';
import { appEnv, loadProfile, projectRoot } from '../../scripts/lib/profiles';
import { startStack, type Stack } from '../../scripts/lib/services';
import { workflowBundlePath } from './paths';

declare global {
  var __testStack: Stack | undefined;
}

export default async function globalSetup(): Promise<void> {
  const profile = loadProfile('test');
  const stack = await startStack(profile, ensureInstalled());
  globalThis.__testStack = stack;
  Object.assign(process.env, appEnv(profile));
  const config = loadConfig(process.env);
  await migrateAndSeed(config);
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} } });
  fs.mkdirSync(path.dirname(workflowBundlePath), { recursive: true });
  fs.writeFileSync(workflowBundlePath, code);
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'web/vite.config.mts', '--logLevel', 'error'], { cwd: projectRoot, stdio: 'inherit' });
}
