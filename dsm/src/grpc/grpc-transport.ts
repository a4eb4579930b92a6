import * as grpc from '@grpc/grpc-js';
import { pino, type Logger } from 'pino';
import { DsmLinkClient, DsmLinkService, type Envelope } from '@unum/protos/dsm';
import { LinkLanes, type Lane } from '../link-lanes.js';
import type { DsmMessage } from '../messages.js';
import type { Transport } from '../transport.js';
import { HelloVerifier, makeHello, type Hello } from './auth.js';
import { decode, encode } from './codec.js';
import { GUARDED_SERVER_OPTIONS, listenGuarded, type GuardedListener } from './guarded-listen.js';

const helloOf = (h: Hello): Envelope => ({ body: { $case: 'hello', value: h } });
const helloIn = (env: Envelope): Hello | undefined => (env.body?.$case === 'hello' ? env.body.value : undefined);

export interface GrpcTransportOptions {
  self: number;
  nodes: number;
  /** Cluster secret every node shares; hellos carry an HMAC of it. */
  secret: string;
  cluster?: string;
  /** Listen address (default 127.0.0.1:0, an ephemeral loopback port). */
  listen?: string;
  logger?: Logger;
  /** A peer that has not said hello by then is dropped (default 5 s). */
  helloTimeoutMs?: number;
  /** Adds more services to the same server before it binds (the bench's raw echo baseline). */
  register?: (server: grpc.Server) => void;
  /**
   * Fault frames ahead of bulk ones (default true): frames wait in the link's
   * LinkLanes and only `IN_STREAM_FRAMES` at a time are handed to gRPC, so a
   * fault's reply queued behind a batch of pages overtakes it. false: every
   * frame goes straight into the stream in send order (the bench's baseline).
   */
  lanes?: boolean;
}

/**
 * Frames a link hands to its gRPC stream before the earliest is written out.
 * Whatever is in the stream can no longer be overtaken; 8 frames (32 KiB of
 * pages) keep loopback busy.
 */
const IN_STREAM_FRAMES = 8;
/**
 * Frames a link writes per event-loop turn while more wait. Serialising and
 * writing a 4 KiB frame costs tens of µs of the agent's one thread, so a batch
 * written in one go keeps incoming requests unread for milliseconds; after
 * this many the link lets I/O in (setImmediate), and a request read meanwhile
 * sends its reply in the fault lane, ahead of the rest of the batch.
 */
const FRAMES_PER_TURN = 8;

type Stream = grpc.ClientDuplexStream<Envelope, Envelope> | grpc.ServerDuplexStream<Envelope, Envelope>;

/** One node pair's link: the single stream plus what waits for it. */
interface Link {
  stream: Stream | null;
  /** Frames not yet handed to the stream (all of them while the link is down). */
  waiting: LinkLanes<Envelope>;
  /** Hands waiting frames to the stream (called again as each written frame leaves). */
  pump: () => void;
  /** Frames this link may still write in the current event-loop turn. */
  turnBudget: number;
  /** A setImmediate will refill turnBudget and pump. */
  nextTurn: boolean;
  client?: DsmLinkClient;
  retryMs: number;
}

/**
 * DSM transport over gRPC: one long-lived bidirectional `Link` stream per node
 * pair (the lower id dials the higher), so each direction is FIFO. The first
 * frame each way is an authenticated hello; anything unauthenticated or
 * malformed is refused, counted and logged, and never reaches the DSM.
 *
 * @example
 *   const t = await GrpcTransport.start({ self: 0, nodes: 3, secret });
 *   t.connect({ 1: '127.0.0.1:7001', 2: '127.0.0.1:7002' });
 *   await t.ready();
 */
export class GrpcTransport implements Transport {
  readonly self: number;
  private readonly links = new Map<number, Link>();
  private readonly verifier: HelloVerifier;
  private readonly log: Logger;
  private readonly server = new grpc.Server({ 'grpc.max_receive_message_length': 1 << 20, ...GUARDED_SERVER_OPTIONS });
  private door: GuardedListener | undefined;
  private handler: (from: number, msg: DsmMessage) => void = () => undefined;
  private refused = 0;
  private closed = false;
  private waiters: Array<() => boolean> = [];
  port = 0;

  private constructor(private readonly o: GrpcTransportOptions) {
    this.self = o.self;
    this.verifier = new HelloVerifier(o.secret, o.cluster ?? 'unum', o.self, o.nodes);
    this.log = (o.logger ?? pino({ level: 'warn' })).child({ dsmNode: o.self, transport: 'grpc' });
    for (let n = 0; n < o.nodes; n++) {
      if (n === o.self) continue;
      const link: Link = { stream: null, waiting: new LinkLanes(), pump: () => this.pump(link), turnBudget: FRAMES_PER_TURN, nextTurn: false, retryMs: 20 };
      this.links.set(n, link);
    }
  }

  /** Binds the server; peers with a lower id will dial in. */
  static async start(o: GrpcTransportOptions): Promise<GrpcTransport> {
    const t = new GrpcTransport(o);
    t.server.addService(DsmLinkService, { link: (call: grpc.ServerDuplexStream<Envelope, Envelope>) => t.accept(call) });
    o.register?.(t.server);
    t.door = await listenGuarded(t.server, o.listen ?? '127.0.0.1:0'); // silent peers are closed, not held
    t.port = t.door.port;
    return t;
  }

  /** Dials every peer with a higher id. `peers[n]` is node n's host:port. */
  connect(peers: Record<number, string>): void {
    for (const [id, link] of this.links) {
      if (id > this.self) {
        const addr = peers[id];
        if (!addr) throw new RangeError(`no address for node ${id}`);
        link.client = new DsmLinkClient(addr, grpc.credentials.createInsecure());
        this.dial(id, link);
      }
    }
  }

  /** Resolves once the links to `peers` (default: every peer) are authenticated. */
  ready(peers: number[] = [...this.links.keys()]): Promise<void> {
    const up = () => peers.every((p) => this.links.get(p)?.stream);
    if (up()) return Promise.resolve();
    return new Promise((r) => this.waiters.push(() => (up() ? (r(), true) : false)));
  }

  send(to: number, msg: DsmMessage, lane: Lane = 'fault'): void {
    const link = this.links.get(to);
    if (!link) throw new RangeError(`no link to node ${to}`);
    const env = encode(msg);
    if (link.stream && this.o.lanes === false) link.stream.write(env);
    else {
      link.waiting.push(msg.unit, env, this.o.lanes === false ? 'fault' : lane);
      link.pump();
    }
  }

  onMessage(handler: (from: number, msg: DsmMessage) => void): void {
    this.handler = handler;
  }

  rejected(): number {
    return this.refused;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const link of this.links.values()) {
      link.stream?.end();
      link.client?.close();
    }
    this.door?.close();
    await new Promise<void>((r) => this.server.tryShutdown(() => r()));
    this.server.forceShutdown();
  }

  private dial(peer: number, link: Link): void {
    const call = link.client!.link();
    let authed = false;
    call.write(helloOf(makeHello(this.o.secret, this.o.cluster ?? 'unum', this.self, peer)));
    call.on('data', (env: Envelope) => {
      if (authed) return this.deliver(peer, env);
      const bad = this.verifier.check(helloIn(env), peer);
      if (bad) {
        this.refuse(`node ${peer} failed hello: ${bad}`);
        call.cancel();
        return;
      }
      authed = true;
      link.retryMs = 20;
      this.up(link, call);
    });
    call.on('error', (err: grpc.ServiceError) => {
      if (!this.closed && err.code !== grpc.status.CANCELLED) this.log.warn({ peer, code: err.code }, `link error: ${err.details}`);
    });
    call.on('close', () => {
      if (link.stream === call) link.stream = null;
      if (this.closed) return;
      // Redial with backoff. Frames written on the broken stream are lost (see docs/dsm.md).
      link.retryMs = Math.min(link.retryMs * 2, 1000);
      setTimeout(() => !this.closed && !link.stream && this.dial(peer, link), link.retryMs);
    });
  }

  private accept(call: grpc.ServerDuplexStream<Envelope, Envelope>): void {
    let peer = -1;
    const timer = setTimeout(() => peer < 0 && this.drop(call, 'no hello in time'), this.o.helloTimeoutMs ?? 5000);
    call.on('data', (env: Envelope) => {
      if (peer >= 0) return this.deliver(peer, env);
      clearTimeout(timer);
      const hello = helloIn(env);
      const bad = this.verifier.check(hello);
      const from = hello?.node ?? -1;
      if (bad || from > this.self) return this.drop(call, bad ?? `node ${from} must be dialled, not dial in`);
      peer = from;
      const link = this.links.get(peer)!;
      link.stream?.end(); // a reconnect replaces the old stream
      call.write(helloOf(makeHello(this.o.secret, this.o.cluster ?? 'unum', this.self, peer)));
      this.up(link, call);
    });
    call.on('error', () => undefined); // peer went away; 'close' cleans up
    call.on('close', () => {
      clearTimeout(timer);
      const link = this.links.get(peer);
      if (link?.stream === call) link.stream = null;
    });
  }

  private up(link: Link, stream: Stream): void {
    link.stream = stream;
    link.pump();
    this.waiters = this.waiters.filter((w) => !w());
  }

  private pump(link: Link): void {
    const s = link.stream;
    if (!s) return;
    if (this.o.lanes === false) {
      for (let env = link.waiting.shift(); env; env = link.waiting.shift()) s.write(env); // what waited for the link
      return;
    }
    while (link.waiting.length > 0 && s.writableLength < IN_STREAM_FRAMES && link.turnBudget > 0) {
      link.turnBudget--;
      s.write(link.waiting.shift()!, link.pump);
    }
    // Only a link that used up its turn waits for the next one (a trickle of frames never does: its refill has run).
    if (link.turnBudget > 0 || link.nextTurn) return;
    link.nextTurn = true;
    setImmediate(() => {
      link.nextTurn = false;
      link.turnBudget = FRAMES_PER_TURN;
      if (link.waiting.length > 0) link.pump();
    });
  }

  private deliver(peer: number, env: Envelope): void {
    const m = decode(env);
    if (typeof m === 'string') return this.refuse(`malformed frame from node ${peer}: ${m}`);
    try {
      this.handler(peer, m);
    } catch (err) {
      this.refuse(`frame from node ${peer} broke the handler: ${String(err)}`);
    }
  }

  private drop(call: grpc.ServerDuplexStream<Envelope, Envelope>, why: string): void {
    this.refuse(`refused link from ${call.getPeer()}: ${why}`);
    call.emit('error', { code: grpc.status.UNAUTHENTICATED, details: why });
  }

  private refuse(why: string): void {
    this.refused++;
    this.log.warn(why);
  }
}
