import path from 'node:path';
import { loadProfile } from '../../scripts/lib/profiles';

/** Workflows are bundled once per jest run, here, and every test worker loads this file. */
export const workflowBundlePath = path.join(loadProfile('test').dataDir, 'workflow-bundle.js');
