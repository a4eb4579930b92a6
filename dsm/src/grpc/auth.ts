import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Bump when the wire protocol changes incompatibly. */
export const PROTOCOL_VERSION = 2;
const MAX_SKEW_MS = 5 * 60_000;

/** The first frame of a link each way (protos/dsm.proto). */
export type { Hello } from '@unum/protos/dsm';
import type { Hello } from '@unum/protos/dsm';

function mac(secret: string | Uint8Array, h: Omit<Hello, 'mac'>): Buffer {
  const text = `unum-dsm|${h.protocolVersion}|${h.cluster}|${h.node}|${h.to}|${h.timeMs}|${Buffer.from(h.nonce).toString('hex')}`;
  return createHmac('sha256', secret).update(text).digest();
}

export function makeHello(secret: string | Uint8Array, cluster: string, node: number, to: number, version = PROTOCOL_VERSION): Hello {
  const h = { protocolVersion: version, cluster, node, to, nonce: randomBytes(16), timeMs: BigInt(Date.now()) };
  return { ...h, mac: mac(secret, h) };
}

/**
 * Checks hellos against the cluster secret: protocol version, cluster name,
 * sender range, addressee, clock skew, replayed nonce, then the MAC.
 */
export class HelloVerifier {
  private readonly seen = new Map<string, number>();

  constructor(private readonly secret: string | Uint8Array, private readonly cluster: string, private readonly self: number, private readonly nodes: number) {}

  /** Why the hello is refused, or undefined if it authenticates `h.node`. */
  check(h: Hello | undefined, expectFrom?: number): string | undefined {
    if (!h) return 'first frame is not a hello';
    if (h.protocolVersion !== PROTOCOL_VERSION) return `protocol version ${h.protocolVersion}, want ${PROTOCOL_VERSION}`;
    if (h.cluster !== this.cluster) return `cluster "${h.cluster}" is not ours`;
    if (!Number.isInteger(h.node) || h.node < 0 || h.node >= this.nodes || h.node === this.self) return `unknown node ${h.node}`;
    if (expectFrom !== undefined && h.node !== expectFrom) return `expected node ${expectFrom}, got ${h.node}`;
    if (h.to !== this.self) return `hello addressed to node ${h.to}`;
    if (Math.abs(Date.now() - Number(h.timeMs)) > MAX_SKEW_MS) return 'hello timestamp too far off';
    const want = mac(this.secret, h);
    if (h.mac.length !== want.length || !timingSafeEqual(h.mac, want)) return 'bad MAC (wrong cluster secret)';
    const nonce = Buffer.from(h.nonce).toString('hex');
    if (this.seen.has(nonce)) return 'replayed hello';
    this.remember(nonce);
    return undefined;
  }

  private remember(nonce: string): void {
    const now = Date.now();
    this.seen.set(nonce, now);
    for (const [k, t] of this.seen) {
      if (now - t <= MAX_SKEW_MS * 2) break; // insertion order = time order
      this.seen.delete(k);
    }
  }
}
