// The local stack that `npm run up` and `npm test` start is configured as the design says.
import { Connection } from '@temporalio/client';
import { loadConfig } from '../../domain/infra/config';
import { createRedis } from '../../domain/infra/redis';
import { loadProfile } from '../../scripts/lib/profiles';

const config = loadConfig();
const profile = loadProfile('test');

describe('local stack', () => {
  it('registers CustomerId, PlanTier and BillingStatus as Keyword search attributes', async () => {
    const connection = await Connection.connect({ address: config.temporal.address });
    try {
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: config.temporal.namespace });
      const keyword = 2; // temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD
      expect(customAttributes).toMatchObject({ CustomerId: keyword, PlanTier: keyword, BillingStatus: keyword });
    } finally {
      await connection.close();
    }
  });

  it('serves the Temporal Web UI', async () => {
    const res = await fetch(`http://127.0.0.1:${profile.ports.temporalUi}/`);
    expect(res.status).toBe(200);
  });

  it('runs Redis with an append-only file synced every second', async () => {
    const redis = createRedis(config);
    try {
      expect(await redis.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      expect(await redis.config('GET', 'appendfsync')).toEqual(['appendfsync', 'everysec']);
    } finally {
      redis.disconnect();
    }
  });

  it('listens on loopback only', async () => {
    const redis = createRedis(config);
    try {
      expect(await redis.config('GET', 'bind')).toEqual(['bind', '127.0.0.1']);
    } finally {
      redis.disconnect();
    }
  });
});
