// One free-port helper for the scripts, the tests and the benches.
export { freePort } from '../../scripts/lib/process';
