// The connection options every Temporal caller shares (client, worker, health probe), so TLS
// and API-key settings cannot differ between the process that starts a workflow and the one that runs it.
import type { TLSConfig } from '@temporalio/client';
import type { Config } from '../domain/infra/config';
import { readConfiguredFile as pem } from '../domain/infra/config-file';

export interface TemporalConnectionOptions {
  address: string;
  tls: TLSConfig | false;
  apiKey?: string;
}

export function temporalConnectionOptions(config: Pick<Config, 'temporal'>): TemporalConnectionOptions {
  const { address, tls, apiKey } = config.temporal;
  if (!tls.enabled) return { address, tls: false };
  const tlsConfig: TLSConfig = {
    ...(tls.serverName ? { serverNameOverride: tls.serverName } : {}),
    ...(tls.caFile ? { serverRootCACertificate: pem('TEMPORAL_TLS_CA_FILE', tls.caFile) } : {}),
    ...(tls.certFile && tls.keyFile
      ? { clientCertPair: { crt: pem('TEMPORAL_TLS_CERT_FILE', tls.certFile), key: pem('TEMPORAL_TLS_KEY_FILE', tls.keyFile) } }
      : {}),
  };
  return { address, tls: tlsConfig, ...(apiKey ? { apiKey } : {}) };
}
