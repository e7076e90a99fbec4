// The bench's lean load generator against a real node:http server: it reads each answer's status
// whatever the chunking, reuses its connections, reconnects after the server closed one, counts
// an answer it cannot read as an error with its reason, and the open loop queues past its cap.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { closedLoop, mergeResults, openLoop, type Target } from '../../bench/lib/load';
import { RawPool } from '../../bench/lib/raw-http';

let server: http.Server;
let port: number;
const connections = new Set<string>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    connections.add(`${req.socket.remotePort}`);
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.url === '/chunked') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('no length');
        res.end();
        return;
      }
      if (req.url === '/close') {
        const text = 'bye';
        res.writeHead(200, { 'content-length': Buffer.byteLength(text), connection: 'close' });
        res.end(text);
        return;
      }
      // Written in two pieces, so the header end and the body arrive apart.
      const text = JSON.stringify({ echo: body, key: req.headers['idempotency-key'] });
      res.writeHead(req.url === '/teapot' ? 418 : 200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.write(text.slice(0, 5));
      setImmediate(() => res.end(text.slice(5)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const request = (path = '/echo') => ({ path, headers: { 'content-type': 'application/json', 'idempotency-key': 'k' }, body: '{"app":"pd-calculator"}' });

describe('the raw load client', () => {
  it('reads statuses of answers split over several reads, on one reused connection', async () => {
    connections.clear();
    const pool = new RawPool(port, 1);
    expect(await pool.send(request())).toBe(200);
    expect(await pool.send(request('/teapot'))).toBe(418);
    expect(await pool.send(request())).toBe(200);
    pool.destroy();
    expect(connections.size).toBe(1);
  });

  it('reconnects on the next request once the server closed the connection', async () => {
    const pool = new RawPool(port, 1);
    expect(await pool.send(request('/close'))).toBe(200);
    expect(await pool.send(request())).toBe(200);
    pool.destroy();
  });

  it('refuses an answer without Content-Length with the reason, and goes on', async () => {
    const pool = new RawPool(port, 1);
    await expect(pool.send(request('/chunked'))).rejects.toThrow('answer without Content-Length: HTTP/1.1 200 OK');
    expect(await pool.send(request())).toBe(200);
    pool.destroy();
  });

  it('runs a closed loop and an open loop, whose merged results add up', async () => {
    const target: Target = { port, next: () => request() };
    const closed = await closedLoop(target, { connections: 4, seconds: 0.3 });
    expect(closed.ok).toBeGreaterThan(10);
    expect(closed.non2xx + closed.errors).toBe(0);
    // More sends per tick than connections: the pool queues them instead of failing.
    const open = await openLoop(target, { ratePerSecond: 2_000, seconds: 0.3, connections: 2 });
    expect(open.ok).toBe(open.sent);
    const merged = mergeResults([closed, open]);
    expect(merged.ok).toBe(closed.ok + open.ok);
    expect(merged.latenciesMs.length).toBe(closed.latenciesMs.length + open.latenciesMs.length);
    expect(merged.seconds).toBeCloseTo(closed.seconds + open.seconds);
  });
});
