import { Connection } from '@temporalio/client';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../domain/infra/config';
import { temporalConnectionOptions } from '../../clients/temporal-connection';

const dir = mkdtempSync(join(tmpdir(), 'varai-temporal-tls-'));
const file = (name: string) => {
  const p = join(dir, name);
  writeFileSync(p, `pem of ${name}`);
  return p;
};

describe('temporalConnectionOptions', () => {
  it('connects in plaintext by default, as the dev server expects', () => {
    expect(temporalConnectionOptions(loadConfig({}))).toEqual({ address: '127.0.0.1:57233', tls: false });
  });

  it('turns TLS on for an API key and sends the key', () => {
    const o = temporalConnectionOptions(loadConfig({ TEMPORAL_API_KEY: 'key-1' }));
    expect(o).toEqual({ address: '127.0.0.1:57233', tls: {}, apiKey: 'key-1' });
  });

  it('reads the CA, the mTLS pair and the server name from their files', () => {
    const o = temporalConnectionOptions(
      loadConfig({ TEMPORAL_TLS_CA_FILE: file('ca.pem'), TEMPORAL_TLS_CERT_FILE: file('crt.pem'), TEMPORAL_TLS_KEY_FILE: file('key.pem'), TEMPORAL_TLS_SERVER_NAME: 'frontend' }),
    );
    expect(o.tls && String(o.tls.serverRootCACertificate)).toBe('pem of ca.pem');
    expect(o.tls && o.tls.clientCertPair && String(o.tls.clientCertPair.key)).toBe('pem of key.pem');
    expect(o.tls && o.tls.serverNameOverride).toBe('frontend');
  });

  it('refuses half an mTLS pair at config time', () => {
    expect(() => loadConfig({ TEMPORAL_TLS_CERT_FILE: '/x/crt.pem' })).toThrow(/TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE/);
  });

  it('names the TLS file it cannot read', () => {
    expect(() => temporalConnectionOptions(loadConfig({ TEMPORAL_TLS_CA_FILE: '/nonexistent/ca.pem' }))).toThrow(/TEMPORAL_TLS_CA_FILE=\/nonexistent\/ca.pem.*ENOENT/);
  });

  it('reaches the server with the options it builds, and TLS is really attempted when asked', async () => {
    const plain = await Connection.connect({ ...temporalConnectionOptions(loadConfig()), connectTimeout: 5_000 });
    await plain.close();
    const tls = temporalConnectionOptions(loadConfig({ ...process.env, TEMPORAL_TLS: 'true' }));
    await expect(Connection.connect({ ...tls, connectTimeout: 3_000 })).rejects.toThrow();
  });
});
