// The lean load generator: HTTP/1.1 keep-alive over plain sockets, one request in flight per
// connection. node:http's client cost the bench process 35–51 µs of CPU per request, as much as
// the API itself, on the same two cores (docs/PERFORMANCE.md, seventh pass): every phase measured
// the server with a third of the machine taken by its caller. This one writes one prebuilt
// request and reads one answer's status line and Content-Length, about a fifth of that.
// It speaks only what the bench's targets answer: a Content-Length body, no chunked encoding
// (an answer without one counts as an error, with its reason, never silently).
import net from 'node:net';

/** One request as the targets build it; the client adds Host and Content-Length. */
export interface BenchRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

const headerEnd = Buffer.from('\r\n\r\n');
// Looked up as bytes in the answer's head, in the two spellings servers write: the client reads
// larger heads (the API's security headers) for the same cost as small ones, so it favours no target.
const lengthNames = [Buffer.from('\r\nContent-Length:'), Buffer.from('\r\ncontent-length:')];
const closeNames = [Buffer.from('\r\nConnection: close'), Buffer.from('\r\nconnection: close')];

/** The first of `names` in buf[0, end), as the offset just past it; -1 when none is there. */
function find(buf: Buffer, names: Buffer[], end: number): number {
  for (const name of names) {
    const at = buf.indexOf(name);
    if (at >= 0 && at < end) return at + name.length;
  }
  return -1;
}

/** The decimal number at buf[at…], leading blanks skipped; NaN when there is none. */
function numberAt(buf: Buffer, at: number): number {
  while (buf[at] === 0x20 || buf[at] === 0x09) at += 1;
  let n = NaN;
  for (let c = buf[at]; c !== undefined && c >= 0x30 && c <= 0x39; c = buf[++at]) n = (Number.isNaN(n) ? 0 : n * 10) + (c - 0x30);
  return n;
}

interface Waiting {
  resolve(status: number): void;
  reject(err: Error): void;
}

/** One keep-alive connection; reconnects on the next request once the server closed it. */
class Connection {
  private socket: net.Socket | null = null;
  private buffered: Buffer = Buffer.alloc(0);
  private waiting: Waiting | null = null;

  constructor(private readonly port: number) {}

  send(req: BenchRequest): Promise<number> {
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.open().write(requestBytes(this.port, req));
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = null;
  }

  private open(): net.Socket {
    if (this.socket && !this.socket.destroyed) return this.socket;
    const socket = net.connect({ host: '127.0.0.1', port: this.port, noDelay: true });
    this.buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => this.read(chunk));
    // A server's idle timeout closes a connection between phases: the next request reconnects.
    // Only the current socket's end fails the request waiting: an old one closing late must not.
    const gone = (err?: Error) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.fail(err ?? new Error('connection closed before the answer'));
    };
    socket.on('error', gone);
    socket.on('close', () => gone());
    this.socket = socket;
    return socket;
  }

  private read(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const end = this.buffered.indexOf(headerEnd);
    if (end < 0) return;
    const lengthAt = find(this.buffered, lengthNames, end);
    const length = lengthAt < 0 ? NaN : numberAt(this.buffered, lengthAt);
    if (Number.isNaN(length)) {
      const line = this.buffered.toString('latin1', 0, end);
      this.fail(new Error(`answer without Content-Length: ${line.slice(0, line.indexOf('\r\n'))}`));
      this.close();
      return;
    }
    const total = end + headerEnd.length + length;
    if (this.buffered.length < total) return;
    // "HTTP/1.1 200 OK": the status is bytes 9 to 11.
    const status = numberAt(this.buffered.subarray(9, 12), 0);
    // The server closes after this answer: the next request must not go down this socket.
    const closing = find(this.buffered, closeNames, end) >= 0;
    this.buffered = this.buffered.subarray(total);
    const waiting = this.waiting;
    this.waiting = null;
    if (closing) this.close();
    waiting?.resolve(status);
  }

  private fail(err: Error): void {
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.reject(err);
  }
}

function requestBytes(port: number, req: BenchRequest): string {
  let head = `POST ${req.path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`;
  for (const name in req.headers) head += `${name}: ${req.headers[name]}\r\n`;
  return `${head}Content-Length: ${Buffer.byteLength(req.body)}\r\n\r\n${req.body}`;
}

/**
 * Up to `connections` connections to one port; a request finding them all busy waits for the
 * first one free (as an agent's maxSockets does), so the open loop's latency shows the queue.
 */
export class RawPool {
  private readonly idle: Connection[] = [];
  private readonly all: Connection[] = [];
  private readonly queue: (() => void)[] = [];

  constructor(private readonly port: number, private readonly connections: number) {}

  async send(req: BenchRequest): Promise<number> {
    const conn = await this.take();
    try {
      return await conn.send(req);
    } catch (err) {
      conn.close();
      throw err;
    } finally {
      this.give(conn);
    }
  }

  destroy(): void {
    for (const c of this.all) c.close();
  }

  private take(): Promise<Connection> {
    const free = this.idle.pop();
    if (free) return Promise.resolve(free);
    if (this.all.length < this.connections) {
      const conn = new Connection(this.port);
      this.all.push(conn);
      return Promise.resolve(conn);
    }
    return new Promise((resolve) => this.queue.push(() => resolve(this.idle.pop()!)));
  }

  private give(conn: Connection): void {
    this.idle.push(conn);
    this.queue.shift()?.();
  }
}
