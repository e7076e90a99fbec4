import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkServerIdentity, rootCertificates } from 'node:tls';
import { pgSslFromUrl } from '../../domain/infra/pg-ssl';

const base = 'postgresql://u:p@db.example:5432/varai';
const caFile = join(mkdtempSync(join(tmpdir(), 'varai-ca-')), 'ca.pem');
writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\nfake\n-----END CERTIFICATE-----\n');

describe('pgSslFromUrl', () => {
  it.each(['', '?sslmode=disable', '?sslmode=allow', '?sslmode=prefer'])('connects in plaintext for %p', (query) => {
    expect(pgSslFromUrl(base + query)).toBe(false);
  });

  it('encrypts without verifying for sslmode=require with no root cert, as libpq does', () => {
    expect(pgSslFromUrl(`${base}?sslmode=require`)).toMatchObject({ rejectUnauthorized: false, ca: rootCertificates });
  });

  it('verifies the chain against sslrootcert once one is given, even for require', () => {
    const ssl = pgSslFromUrl(`${base}?sslmode=require&sslrootcert=${caFile}`);
    expect(ssl).toMatchObject({ rejectUnauthorized: true, ca: expect.stringContaining('BEGIN CERTIFICATE') });
  });

  it('checks the host name only for verify-full', () => {
    const full = pgSslFromUrl(`${base}?sslmode=verify-full&sslrootcert=${caFile}`);
    const ca = pgSslFromUrl(`${base}?sslmode=verify-ca&sslrootcert=${caFile}`);
    expect(full && full.checkServerIdentity).toBe(checkServerIdentity);
    expect(ca && ca.checkServerIdentity).not.toBe(checkServerIdentity);
  });

  it('verifies against the bundled roots when verify-full has no sslrootcert', () => {
    expect(pgSslFromUrl(`${base}?sslmode=verify-full`)).toMatchObject({ rejectUnauthorized: true, ca: rootCertificates });
  });

  it('refuses an sslmode libpq does not know, naming it', () => {
    expect(() => pgSslFromUrl(`${base}?sslmode=on`)).toThrow(/sslmode=on/);
  });

  it('says which root cert file cannot be read', () => {
    expect(() => pgSslFromUrl(`${base}?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem`)).toThrow(/sslrootcert=\/nonexistent\/ca.pem.*ENOENT/);
  });
});
