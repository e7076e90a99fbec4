// Every test process sees the `test` profile's service addresses, and nothing else.
import { appEnv, loadProfile } from '../../scripts/lib/profiles';

Object.assign(process.env, appEnv(loadProfile('test')), { LOG_LEVEL: 'silent' });
