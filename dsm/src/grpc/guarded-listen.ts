/**
 * A gRPC server's listening socket with a door policy. grpc-js holds every
 * TCP connection it accepts, for ever, even one that never says a byte (500
 * idle sockets were all held). Here a net.Server accepts and hands each
 * connection to the gRPC server (its connection injector) only once the peer
 * has sent something; a peer silent for `firstByteMs` is closed, at most
 * `maxPending` silent peers wait at once (more are closed on accept), and
 * at most `maxConnections` are open in all. A peer that speaks HTTP/2 but
 * never makes a call is closed by grpc-js after GUARDED_SERVER_OPTIONS'
 * idle time; calls without the cluster secret fail before any handler runs.
 *
 * @example
 *   const server = new grpc.Server({ ...GUARDED_SERVER_OPTIONS });
 *   const door = await listenGuarded(server, '127.0.0.1:0');
 *   // ... door.port; on shutdown: door.close(); server.forceShutdown();
 */
import net from 'node:net';
import * as grpc from '@grpc/grpc-js';

export interface DoorPolicy {
  /** Close a peer that has sent nothing for this long (ms). */
  firstByteMs: number;
  /** Connections allowed to wait for their first byte at once. */
  maxPending: number;
  /** Open connections in all. */
  maxConnections: number;
}

export const DEFAULT_DOOR: DoorPolicy = { firstByteMs: 5000, maxPending: 64, maxConnections: 1024 };

/** Server options: a connection without a call in flight for 30 s is closed (a client channel just redials). */
export const GUARDED_SERVER_OPTIONS = { 'grpc.max_connection_idle_ms': 30_000 } as const;

export interface GuardedListener {
  port: number;
  /** Connections closed by the policy so far (silent, over a cap). */
  readonly turnedAway: number;
  close(): void;
}

/** Listen on `address` (HOST:PORT, IPv6 in brackets) for `server`. */
/** The address cannot be listened on (in use, not ours, no permission): bad input for whoever chose it. */
export class ListenError extends Error {
  override readonly name = 'ListenError';
  constructor(readonly address: string, cause: NodeJS.ErrnoException) {
    const why = cause.code === 'EADDRINUSE' ? 'address already in use' : cause.code === 'EADDRNOTAVAIL' ? 'not an address of this host'
      : cause.code === 'EACCES' ? 'permission denied' : cause.message;
    super(`cannot listen on ${address}: ${why}`, { cause });
  }
}

export async function listenGuarded(server: grpc.Server, address: string, policy: Partial<DoorPolicy> = {}): Promise<GuardedListener> {
  const p = { ...DEFAULT_DOOR, ...policy };
  const colon = address.lastIndexOf(':');
  const host = address.slice(0, colon).replace(/^\[|\]$/g, '');
  const port = Number(address.slice(colon + 1));
  if (colon < 0 || !Number.isInteger(port)) throw new RangeError(`bad listen address ${address}`);
  const injector = server.createConnectionInjector(grpc.ServerCredentials.createInsecure());
  let pending = 0;
  let turnedAway = 0;
  const door = net.createServer((sock) => {
    sock.on('error', () => undefined);
    if (pending >= p.maxPending) {
      turnedAway++;
      sock.destroy();
      return;
    }
    pending++;
    const timer = setTimeout(() => { turnedAway++; sock.destroy(); }, p.firstByteMs);
    const settle = (): void => { clearTimeout(timer); pending--; };
    const onData = (chunk: Buffer): void => {
      sock.off('close', onClose);
      settle();
      sock.pause();
      sock.unshift(chunk); // the HTTP/2 session reads the preface from the socket's buffer
      injector.injectConnection(sock);
    };
    const onClose = (): void => { sock.off('data', onData); settle(); };
    sock.once('data', onData);
    sock.once('close', onClose);
  });
  door.maxConnections = p.maxConnections;
  await new Promise<void>((resolve, reject) => {
    const refused = (e: NodeJS.ErrnoException): void => reject(new ListenError(address, e));
    door.once('error', refused);
    door.listen(port, host, () => { door.off('error', refused); resolve(); });
  });
  return {
    port: (door.address() as net.AddressInfo).port,
    get turnedAway() { return turnedAway; },
    close: () => { door.close(); injector.destroy(); },
  };
}
