import { pino } from 'pino';
import { DsmNode } from '../dsm-node.js';
import { MemoryPageStore } from '../memory-page-store.js';
import { MemoryNetwork } from '../memory-transport.js';
import type { Placement } from '../options.js';
import { protocolSpec, type ProtocolKnobs } from '../protocols/index.js';
import { SeededScheduler } from './seeded-scheduler.js';

export interface SimConfig {
  seed: number;
  protocol: string;
  nodes: number;
  vcpusPerNode: number;
  opsPerVcpu: number;
  units: number;
  unitBytes: number;
  placement: Placement;
  /** Give up (livelock) after this many steps. */
  maxSteps?: number;
  /** Knobs set for the protocol (unset: the variant's defaults). */
  knobs?: ProtocolKnobs;
  /**
   * Memory pressure: this many eviction events (push an owned unit to a peer,
   * or drop a read copy) on random units and nodes, racing with the faults.
   * Peers accept a reservation with probability `acceptPush` (default 0.7).
   */
  evictions?: number;
  acceptPush?: number;
}

type Op = { unit: number; kind: 'read' | 'write' | 'inc'; offset: number };

/**
 * A whole cluster in one process on the seeded scheduler: DsmNodes over the
 * in-memory network, MemoryPageStores with scheduled handshakes, and vCPUs
 * that touch unit bytes only when their node's rights allow. After every step
 * it checks single-writer/multiple-reader; every read and atomic increment is
 * checked against an oracle holding the last write in the one global order.
 */
export class SimCluster {
  readonly sched: SeededScheduler;
  readonly stores: MemoryPageStore[] = [];
  readonly nodes: DsmNode[] = [];
  readonly net: MemoryNetwork;
  private readonly oracle = new Map<string, number>();
  private nextValue = 1;
  private vcpusLeft: number;
  opsDone = 0;
  /** Ownership pushes done by eviction events. */
  pushes = 0;
  readonly errors: string[] = [];

  constructor(readonly cfg: SimConfig) {
    this.sched = new SeededScheduler(cfg.seed);
    this.net = new MemoryNetwork(this.sched);
    const logger = pino({ level: process.env.SIM_LOG ?? 'silent' });
    for (let id = 0; id < cfg.nodes; id++) {
      const store = new MemoryPageStore(cfg.unitBytes, this.sched.handshake);
      this.stores.push(store);
      this.nodes.push(new DsmNode({
        id, nodes: cfg.nodes, protocol: protocolSpec(cfg.protocol, cfg.knobs), unitBytes: cfg.unitBytes, units: cfg.units,
        placement: cfg.placement, store, transport: this.net.transport(id), logger, timers: this.sched.timers(),
        capacity: cfg.evictions ? this.randomCapacity() : undefined,
      }));
    }
    if (cfg.evictions) this.sched.add(() => this.evictStep(cfg.evictions!));
    this.vcpusLeft = cfg.nodes * cfg.vcpusPerNode;
    const offsets = [4, 8, cfg.unitBytes - 4]; // offset 0 is the increment counter
    for (let n = 0; n < cfg.nodes; n++) {
      for (let v = 0; v < cfg.vcpusPerNode; v++) {
        const r = this.sched.random;
        const ops: Op[] = Array.from({ length: cfg.opsPerVcpu }, () => {
          const x = r();
          const kind = x < 0.45 ? 'read' : x < 0.8 ? 'write' : 'inc';
          return { unit: Math.floor(r() * cfg.units), kind, offset: kind === 'inc' ? 0 : offsets[Math.floor(r() * offsets.length)] };
        });
        this.sched.add(() => this.vcpuStep(n, ops, 0, 0));
      }
    }
  }

  /** Runs to quiescence; returns the errors found (empty = pass). */
  async run(): Promise<string[]> {
    const max = this.cfg.maxSteps ?? 200_000;
    while (this.errors.length === 0 && (await this.sched.step())) {
      this.checkSwmr();
      this.checkHomes();
      if (this.sched.steps > max) this.errors.push(`no quiescence after ${max} steps (livelock?)`);
    }
    if (this.errors.length === 0) {
      if (this.vcpusLeft !== 0) this.errors.push(`${this.vcpusLeft} vCPUs stuck (deadlock)`);
      if (this.net.inFlight() !== 0) this.errors.push(`${this.net.inFlight()} messages undelivered`);
      this.nodes.forEach((n) => n.protocolErrors && this.errors.push(`node ${n.id}: ${n.protocolErrors} protocol errors`));
      this.checkTokens();
    }
    return this.errors;
  }

  private randomCapacity() {
    const r = this.sched.random;
    let reserved = 0;
    return {
      reserve: () => (r() < (this.cfg.acceptPush ?? 0.7) ? (reserved++, true) : false),
      release: () => void reserved--,
      spare: () => (r() < 0.5 ? 0 : 3),
    };
  }

  /** One eviction on a random node and unit, then the next one later (while vCPUs still run). */
  private evictStep(left: number): void {
    if (left === 0 || this.vcpusLeft === 0) return;
    const r = this.sched.random;
    const node = this.nodes[Math.floor(r() * this.nodes.length)];
    const unit = Math.floor(r() * this.cfg.units);
    node.withUnit(unit, async (s, dropCopy, pushAway) => {
      if (s.owner && !s.busy && !s.lazy) { if (await pushAway()) this.pushes++; } else if (!s.owner && s.rights === 'read') await dropCopy();
    }).then(() => this.sched.add(() => this.evictStep(left - 1)), (err) => this.errors.push(`eviction failed: ${String(err)}`));
  }

  private vcpuStep(node: number, ops: Op[], i: number, retries: number): void {
    if (i === ops.length) {
      this.vcpusLeft--;
      return;
    }
    const op = ops[i];
    if (this.tryOp(node, op)) {
      this.sched.add(() => this.vcpuStep(node, ops, i + 1, 0));
      return;
    }
    if (retries > 100) {
      this.errors.push(`node ${node}: unit ${op.unit} ${op.kind} never got rights (livelock)`);
      return;
    }
    // A page exit: fault, then retry the access right away (as the engine does), or fault again.
    this.nodes[node].fault(op.unit, op.kind === 'read' ? 'read' : 'write').then(
      () => this.vcpuStep(node, ops, i, retries + 1),
      (err) => this.errors.push(`fault failed: ${String(err)}`),
    );
  }

  /** One access through the store's rights, checked against the oracle. False = page exit. */
  private tryOp(node: number, op: Op): boolean {
    const s = this.stores[node];
    const key = `${op.unit}:${op.offset}`;
    const expect = this.oracle.get(key) ?? 0;
    if (op.kind === 'read') {
      const v = s.load32(op.unit, op.offset);
      if (v === undefined) return false;
      if (v !== expect) this.errors.push(`node ${node} read unit ${op.unit}+${op.offset} = ${v}, last write was ${expect}`);
    } else if (op.kind === 'write') {
      const v = this.nextValue++;
      if (!s.store32(op.unit, op.offset, v)) return false;
      this.oracle.set(key, v);
    } else {
      const old = s.add32(op.unit, op.offset, 1);
      if (old === undefined) return false;
      if (old !== expect) this.errors.push(`node ${node} AMO on unit ${op.unit} saw ${old}, want ${expect}`);
      this.oracle.set(key, expect + 1);
    }
    this.opsDone++;
    return true;
  }

  /** Home-based: at most one node takes itself for a unit's home (none while a migration grant is in flight). */
  private checkHomes(): void {
    if (!this.cfg.protocol.startsWith('home-based')) return;
    for (let u = 0; u < this.cfg.units; u++) {
      const homes = this.nodes.filter((n) => n.managerOf(u) === n.id).length;
      if (homes > 1) this.errors.push(`step ${this.sched.steps}: unit ${u} has ${homes} homes`);
    }
  }

  /** At quiescence ownership is one token: exactly one owner per unit (and, home-based, exactly one home). */
  private checkTokens(): void {
    for (let u = 0; u < this.cfg.units; u++) {
      const owners = this.nodes.filter((n) => n.unitView(u).owner).length;
      if (owners !== 1) this.errors.push(`unit ${u} has ${owners} owners at quiescence`);
      const homes = this.nodes.filter((n) => n.managerOf(u) === n.id).length;
      if (this.cfg.protocol.startsWith('home-based') && homes !== 1) this.errors.push(`unit ${u} has ${homes} homes at quiescence`);
    }
  }

  /** At most one node may write a unit, and then nobody else may read it. */
  private checkSwmr(): void {
    for (let u = 0; u < this.cfg.units; u++) {
      let writers = 0;
      let readers = 0;
      for (const s of this.stores) {
        const r = s.rightsOf(u);
        if (r === 'write') writers++;
        else if (r === 'read') readers++;
      }
      if (writers > 1 || (writers === 1 && readers > 0)) {
        this.errors.push(`step ${this.sched.steps}: unit ${u} has ${writers} writers and ${readers} readers`);
      }
    }
  }
}
