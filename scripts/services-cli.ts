// `npm run services -- start|stop [dev|test]`: keep a stack running between test runs.
import { ensureInstalled } from './lib/install';
import { log } from './lib/log';
import { loadProfile } from './lib/profiles';
import { startStack, stopStack } from './lib/services';

async function main() {
  const [action = 'start', name = 'dev'] = process.argv.slice(2);
  if (name !== 'dev' && name !== 'test') throw new Error(`unknown profile "${name}" (dev or test)`);
  const profile = loadProfile(name);
  if (action === 'start') {
    await startStack(profile, ensureInstalled());
    log(`running in the background; stop with: npm run services -- stop ${name}`);
  } else if (action === 'stop') {
    const stopped = await stopStack(profile);
    log(stopped.length ? `stopped ${stopped.join(', ')}` : 'nothing was running');
  } else {
    throw new Error(`unknown action "${action}" (start or stop)`);
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
