import Redis from 'ioredis';
import { debit } from '../domain/metering/scripts';
async function main() {
  const redis = new Redis('redis://127.0.0.1:62379/5') as any;
  const c = 'dbg-' + Date.now();
  await redis.hset(`{c:${c}}:balance`, 'status', 'active', 'unlimited', '1', 'order', '');
  for (let i = 0; i < 3; i++) {
    const r = await debit(redis, { customerId: c, usageId: 'u' + i, idempotencyKey: 'k' + i, requestHash: 'h'.repeat(64), appId: 'a', appSlug: 's', costTokens: 1, nowMs: Date.now(), idempotencyTtlSeconds: 100, ratePerSecond: 100,
      admission: { visitor: { ip: '1.2.3.4', sessionId: 'a', perIp: 5, perSession: 2, windowSeconds: 60 } } });
    console.log(JSON.stringify(r));
  }
  console.log(await redis.keys(`{c:${c}}*`));
  redis.disconnect();
}
main();
