// libpq's `sslmode` (and `sslrootcert`) in a PostgreSQL URL, turned into the pg driver's `ssl`
// option: MikroORM keeps only host, port, user, password, database and schema from the URL,
// so without this a `?sslmode=verify-full` would silently connect in plaintext.
import { checkServerIdentity, rootCertificates } from 'node:tls';
import { readConfiguredFile } from './config-file';

export type PgSsl =
  | false
  | { rejectUnauthorized: boolean; ca: string | readonly string[]; checkServerIdentity: typeof checkServerIdentity | (() => undefined) };

const modes = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
type Mode = (typeof modes)[number];
const isMode = (m: string): m is Mode => (modes as readonly string[]).includes(m);
const skipHostCheck = () => undefined;

/**
 * Every key is always set: MikroORM merges a replica's driver options over the primary's,
 * so a key left out would be inherited from the primary's mode.
 */
export function pgSslFromUrl(url: string): PgSsl {
  const params = new URL(url).searchParams;
  // libpq defaults to `prefer`, which node-postgres cannot do (it has no fallback), so no mode means plaintext.
  const mode = params.get('sslmode') ?? 'disable';
  if (!isMode(mode)) throw new Error(`invalid configuration: sslmode=${mode} in a database URL; use one of ${modes.join(', ')}`);
  if (mode === 'disable' || mode === 'allow' || mode === 'prefer') return false;
  const caPath = params.get('sslrootcert');
  const ca = caPath ? readConfiguredFile('sslrootcert', caPath).toString('utf8') : rootCertificates;
  // As in libpq: `require` with a root cert verifies the chain (like verify-ca); without one it only encrypts.
  if (mode === 'require' && !caPath) return { rejectUnauthorized: false, ca, checkServerIdentity: skipHostCheck };
  // verify-ca trusts the chain but not the host name; verify-full checks both.
  return { rejectUnauthorized: true, ca, checkServerIdentity: mode === 'verify-full' ? checkServerIdentity : skipHostCheck };
}
