import { clusterAuth } from '../../domain/infra/redis';

describe('clusterAuth', () => {
  it('gives cluster nodes nothing extra for a plain local URL', () => {
    expect(clusterAuth('redis://127.0.0.1:6379')).toEqual({});
  });

  it('takes TLS from rediss:// and decoded credentials from the URL', () => {
    expect(clusterAuth('rediss://app:p%40ss@redis-cluster:6380')).toEqual({ username: 'app', password: 'p@ss', tls: {} });
  });

  it('takes a password given without a user name', () => {
    expect(clusterAuth('redis://:secret@redis-cluster')).toEqual({ password: 'secret' });
  });
});
