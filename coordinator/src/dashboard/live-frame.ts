/**
 * From two snapshots to what the browser draws: per-node rates, per-vCPU
 * instructions per second, and the page map as one byte per cell
 * (owner × 8 + fault-rate level), plus the hottest cells.
 */
import { RAM_BASE } from '@unum/machine';
import type { VmInfo, VmSnapshot } from '../telemetry/vm-telemetry.js';

export const LEVELS = 8;
/** Owner byte of a cell no node claims (its unit is in flight). */
export const NO_OWNER = 31;
const HOT_CELLS = 12;

/** Per second; io*: virtio requests on the device node and the DSM messages their DMA caused. */
export interface NodeRates { readFaults: number; writeFaults: number; invalidations: number; bytes: number; ioRequests: number; ioDsmMessages: number }

export interface LiveFrame {
  /** Seconds since the monitor started. */
  t: number;
  info: VmInfo;
  nodes: Array<{
    node: number; name: string; alive: boolean; answered: boolean; heartbeatMsAgo: number;
    framesUsed: number; frames: number; rssBytes: number; swapBytes: number; rates: NodeRates;
  }>;
  vcpus: Array<{ hart: number; node: number; state: string; ips: number }>;
  hot: Array<{ cell: number; gpa: string; pages: number; owner: number; rate: number; faults: number }>;
  cells: number;
  unitsPerCell: number;
}

/** Fault rate → shade level 0..7 (0: none; then log2 steps: <1, <3, <7, ... 63+ per second). */
export function levelOf(rate: number): number {
  return rate <= 0 ? 0 : Math.min(LEVELS - 1, 1 + Math.floor(Math.log2(rate + 1)));
}

const counterOf = (s: VmSnapshot, node: number): NodeRates & { instret: Map<number, bigint> } | undefined => {
  const x = s.nodes[node]?.sample;
  if (!x) return undefined;
  return {
    readFaults: x.dsm.readFaults, writeFaults: x.dsm.writeFaults, invalidations: x.dsm.invalidationsReceived,
    bytes: x.dsm.bytesSent, ioRequests: x.io?.requests ?? 0, ioDsmMessages: x.io?.dsmMessages ?? 0, instret: new Map(x.harts.map((h) => [h.hart, BigInt(h.instret)])),
  };
};

/** Cell codes (owner × LEVELS + level) and per-cell fault rates, from `prev` to `cur`. */
export function mapCodes(cur: VmSnapshot, prev: VmSnapshot | undefined, last: Uint8Array | undefined): { codes: Uint8Array; rates: Float64Array } {
  const dt = prev ? Math.max(1e-3, (cur.t - prev.t) / 1000) : 1;
  const codes = new Uint8Array(cur.cells);
  const rates = new Float64Array(cur.cells);
  for (let c = 0; c < cur.cells; c++) {
    let owner = -1, most = 0, rate = 0;
    for (const n of cur.nodes) {
      const o = n.owned?.[c] ?? 0;
      if (o > most) { most = o; owner = n.node; }
      const before = prev?.cells === cur.cells ? prev.nodes[n.node]?.faults?.[c] : undefined;
      if (n.faults && before !== undefined) rate += Math.max(0, n.faults[c]! - before) / dt;
    }
    rates[c] = rate;
    const o = owner >= 0 ? owner : last && last.length === cur.cells ? Math.floor(last[c]! / LEVELS) : NO_OWNER;
    codes[c] = o * LEVELS + levelOf(rate);
  }
  return { codes, rates };
}

export function liveFrame(cur: VmSnapshot, prev: VmSnapshot | undefined, t0: number, codes: Uint8Array, rates: Float64Array): LiveFrame {
  const dt = prev ? Math.max(1e-3, (cur.t - prev.t) / 1000) : 0;
  const nodes = cur.nodes.map((n) => {
    const a = counterOf(cur, n.node), b = prev ? counterOf(prev, n.node) : undefined;
    const rate = (k: keyof NodeRates): number => (a && b && dt ? Math.max(0, a[k] - b[k]) / dt : 0);
    const m = n.sample?.mem;
    return {
      node: n.node, name: n.name, alive: n.alive, answered: !!n.sample, heartbeatMsAgo: Math.round(n.heartbeatMsAgo),
      framesUsed: m?.framesUsed ?? 0, frames: m?.frames ?? 0, rssBytes: m?.rssBytes ?? 0, swapBytes: m?.swapBytes ?? 0,
      rates: {
        readFaults: rate('readFaults'), writeFaults: rate('writeFaults'), invalidations: rate('invalidations'), bytes: rate('bytes'),
        ioRequests: rate('ioRequests'), ioDsmMessages: rate('ioDsmMessages'),
      },
    };
  });
  const vcpus = cur.info.hartNode.map((node, hart) => {
    const h = cur.nodes[node]?.sample?.harts.find((x) => x.hart === hart);
    const before = prev ? counterOf(prev, node)?.instret.get(hart) : undefined;
    const ips = h && before !== undefined && dt ? Number(BigInt(h.instret) - before) / dt : 0;
    return { hart, node, state: h?.state ?? 'unknown', ips: Math.max(0, ips) };
  });
  const hot = [...rates.keys()].filter((c) => rates[c]! > 0).sort((x, y) => rates[y]! - rates[x]!).slice(0, HOT_CELLS).map((cell) => ({
    cell, gpa: `0x${(RAM_BASE + cell * cur.unitsPerCell * cur.info.unitBytes).toString(16)}`,
    pages: cur.unitsPerCell * cur.info.unitBytes / 4096, owner: Math.floor(codes[cell]! / LEVELS), rate: rates[cell]!,
    faults: cur.nodes.reduce((a, n) => a + (n.faults?.[cell] ?? 0), 0),
  }));
  return { t: (cur.t - t0) / 1000, info: cur.info, nodes, vcpus, hot, cells: cur.cells, unitsPerCell: cur.unitsPerCell };
}
