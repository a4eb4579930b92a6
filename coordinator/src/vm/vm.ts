/**
 * Vm: one VM on one or more nodes, built one way for every node count. The
 * devices (the board's DeviceBus: UART, PLIC, test finisher) live here;
 * nodes forward MMIO to them, and CLINT accesses to a hart on another node
 * are routed to that node. `Vm.create` is the one builder: plan → device
 * tree → setup on every node → DSM links → boot image to each unit's
 * initial owner. Then the Vm drives the run: start, pause, resume, stop; a
 * lost node stops it. Whether a node is this process (LocalNode) or an agent
 * process (RemoteNode) is invisible here.
 *
 * @example
 *   const vm = await Vm.create({ id, spec, nodes, boot: { kernel: elf, bootargs: '' }, console, logger });
 *   await vm.start();
 *   const { exitCode, stats } = await vm.done;
 */
import { buildVirtFdt, DeviceBus, decodeClint, isClint, RAM_BASE, virtBoard, type ConsolePort } from '@unum/machine';
import { Clock, coordinatorMessage } from '@unum/node-agent';
import { dispatch, type Handlers } from '@unum/protos';
import { Control_Op, Irq_Pin, type AgentMessage, type HartMoveRequest, type MmioAccess, type SbiCall } from '@unum/protos/cluster';
import type { ClusterStats, NodeReport } from '@unum/protos/stats';
import type { Logger } from 'pino';
import { MachineError } from '../machine-error.js';
import { LockstepDriver } from '../lockstep/lockstep-driver.js';
import { fdtRngSeed } from './rng-seed.js';
import type { NodeLink } from '../nodes/node-link.js';
import { bootLayoutOf, bootStartOf, type BootSpec, type BootStart } from '../spec/boot-spec.js';
import { vcpuMigrationWire, type VmSpec } from '../spec/vm-spec.js';
import { summaryTable, totalsOf } from './node-report.js';
import { exitCodeOf, reasonOf, type VmOutcome } from './outcome.js';
import { planVm, type VmPlan } from './vm-plan.js';
import { SbiRouter } from './sbi-router.js';
import { MoveBackoff } from './move-backoff.js';

export type VmState = 'creating' | 'created' | 'running' | 'paused' | 'stopping' | 'stopped';

export interface VmConfig {
  id: string;
  spec: VmSpec;
  /** Node i of the VM (= NUMA node i). */
  nodes: NodeLink[];
  boot: BootSpec;
  console: ConsolePort;
  logger: Logger;
}

export interface VmResult {
  outcome: VmOutcome;
  exitCode: number;
  stats: ClusterStats;
  summary: string;
}

type AgentKind = NonNullable<AgentMessage['kind']>;

/** Largest boot-image chunk sent in one Load. */
const LOAD_CHUNK = 256 * 1024;
const STOP_TIMEOUT_MS = 5000;

export class Vm {
  state: VmState = 'creating';
  readonly done: Promise<VmResult>;
  /** How the VM ended (set with `done`; undefined while it runs). */
  result: VmResult | undefined;
  readonly originNs = Clock.now();
  private finished!: (o: VmOutcome) => void;
  private readonly outcome = new Promise<VmOutcome>((r) => { this.finished = r; });
  /** The board's devices (MMIO from every node lands here), but those on the device node. */
  readonly devices: DeviceBus;
  /** Windows served by the device node (virtio-mmio): forwarded there. */
  private readonly deviceWindows = virtBoard().deviceNodeWindows();
  private readonly off: Array<() => void> = [];
  /** Nodes whose harts have all halted. */
  private readonly haltedNodes = new Set<number>();
  /** The node running each hart now (the plan's placement until a hart migrates). */
  readonly hartNode: number[];
  /** Harts moved between nodes so far. */
  migrations = 0;
  /** The hart migrating now, and what was addressed to it meanwhile (delivered, in order, where it lands). */
  private moving: { hart: number; held: Array<() => void> } | undefined;
  /** --vcpu-migration fault-affinity: how soon a hart may move again. */
  private readonly backoff = new MoveBackoff();
  private clintSeq = 0;
  private readonly clintWaiting = new Map<number, { from: NodeLink; id: number }>();
  /** Built-in SBI calls between nodes (IPI, remote fence, hart start/status). */
  readonly sbi = new SbiRouter((hart) => (hart >= 0 && hart < this.plan.vcpus ? this.nodeOf(hart) : undefined));
  private startedAt = 0;
  private finishedAt = 0;
  /** How the harts start (from the boot layout). */
  private boot!: BootStart;
  /** Where the device tree sits in guest RAM (a1 of every hart). */
  fdtAddr = 0;
  /** Host input that came before start, for a virtio console (undefined once started). */
  private earlyInput: Uint8Array[] | undefined = [];
  /** Lockstep run policy only. */
  private lockstep: LockstepDriver | undefined;
  /** Settles when the driver's loop has ended (after its step in flight). */
  private lockstepDone: Promise<void> = Promise.resolve();

  private constructor(private readonly cfg: VmConfig, readonly plan: VmPlan) {
    this.hartNode = [...plan.hartNode];
    this.devices = new DeviceBus({
      harts: plan.vcpus,
      console: this.consoleFor(plan),
      hartExternalIrq: (hart, mode, level) =>
        this.toHart(hart, (n) => n.send(coordinatorMessage('irq', { hart, pin: mode === 'M' ? Irq_Pin.MEIP : Irq_Pin.SEIP, level }))),
      finish: (o) => this.end(o),
    });
    cfg.nodes.forEach((n, node) => {
      const handlers = this.handlersFor(node, n);
      this.off.push(n.on({
        message: (m) => dispatch(handlers, m.kind, () => undefined),
        lost: (why) => {
          this.sbi.lost(n, why);
          cfg.logger.warn({ node, name: n.name, why }, 'node lost; stopping the VM');
          this.end({ kind: 'stopped', reason: `node ${node} (${n.name}) lost: ${why}` });
        },
      }));
    });
    this.done = this.outcome.then((o) => this.finalize(o));
  }

  get id(): string {
    return this.cfg.id;
  }
  get nodes(): NodeLink[] {
    return this.cfg.nodes;
  }

  /** The one builder: check the image, set up every node, link their DSMs, and load the boot image. */
  static async create(cfg: VmConfig): Promise<Vm> {
    const plan = planVm(cfg.spec, cfg.nodes.map((n) => n.offer));
    const ram = { base: RAM_BASE, size: plan.memBytes };
    const rngSeed = fdtRngSeed(plan.run);
    const layout = bootLayoutOf(cfg.boot, plan, (chosen) =>
      buildVirtFdt({ harts: plan.vcpus, ram, bootargs: chosen.bootargs ?? '', numa: plan.numa, initrd: chosen.initrd, rngSeed }));
    const vm = new Vm(cfg, plan);
    vm.boot = bootStartOf(cfg.boot, layout);
    vm.fdtAddr = layout.fdtAddr;
    for (const n of cfg.nodes) n.vmId = cfg.id;
    try {
      await vm.setup();
      await vm.load(layout.pieces);
    } catch (e) {
      vm.end({ kind: 'stopped', reason: e instanceof Error ? e.message : String(e) });
      await vm.done;
      throw e;
    }
    vm.state = 'created';
    return vm;
  }

  /**
   * The console the board's UART gets: host input also goes to a virtio
   * console on the device node when the VM has one (the guest reads whichever
   * its shell is on; the other keeps the bytes unread).
   */
  private consoleFor(plan: VmPlan): ConsolePort {
    if (!plan.devices.some((d) => d.kind?.$case === 'console')) return this.cfg.console;
    const host = this.cfg.console;
    return {
      write: (bytes) => host.write(bytes),
      onInput: (receive) => host.onInput((bytes) => {
        receive(bytes);
        if (this.earlyInput) this.earlyInput.push(bytes); // the device node has no devices before start
        else this.toVirtioConsole(bytes);
      }),
    };
  }

  private toVirtioConsole(bytes: Uint8Array): void {
    this.cfg.nodes[this.plan.deviceNode]?.send(coordinatorMessage('consoleInput', { data: bytes }));
  }

  private nodeOf(hart: number): NodeLink {
    return this.cfg.nodes[this.hartNode[hart]!]!;
  }

  /** Deliver something to hart `hart`'s node: now, or once it has landed if it is migrating. */
  private toHart(hart: number, deliver: (n: NodeLink) => void): void {
    if (this.moving?.hart === hart) this.moving.held.push(() => deliver(this.nodeOf(hart)));
    else deliver(this.nodeOf(hart));
  }

  /**
   * Live vCPU migration: hart `hart` stops at an exit boundary on its node,
   * its state comes here (HartOut's ack) and goes to node `to` (HartIn),
   * which runs it from there. Interrupts, CLINT accesses and SBI calls
   * addressed to it meanwhile wait and follow it. One move at a time.
   */
  async migrateHart(hart: number, to: number): Promise<void> {
    const bad = (msg: string): MachineError => new MachineError('bad-config', msg);
    if (this.state !== 'running') throw bad(`VM ${this.id} is ${this.state}, not running`);
    if (this.plan.run.kind === 'lockstep') throw bad('vCPU migration needs free-running harts (not --deterministic)');
    if (!Number.isInteger(hart) || hart < 0 || hart >= this.plan.vcpus) throw bad(`VM ${this.id} has no hart ${hart} (it has ${this.plan.vcpus})`);
    if (!Number.isInteger(to) || to < 0 || to >= this.cfg.nodes.length) throw bad(`VM ${this.id} has no node ${to} (it has ${this.cfg.nodes.length})`);
    if (this.moving) throw bad(`hart ${this.moving.hart} is migrating: one move at a time`);
    if (this.haltedNodes.has(to)) throw bad(`node ${to}'s harts have halted`);
    const from = this.hartNode[hart]!;
    if (from === to) return;
    const moving = { hart, held: [] as Array<() => void> };
    this.moving = moving;
    const t0 = performance.now();
    try {
      const out = await this.cfg.nodes[from]!.request((seq) => coordinatorMessage('hartOut', { seq, hart }), `hart ${hart} out`);
      if (!out.hartImage) throw new Error(`node ${from} sent no state for hart ${hart}`);
      const t1 = performance.now();
      try {
        await this.cfg.nodes[to]!.request((seq) => coordinatorMessage('hartIn', { seq, image: out.hartImage }), `hart ${hart} in`);
      } catch (e) {
        this.end({ kind: 'stopped', reason: `hart ${hart} lost in migration to node ${to}: ${e instanceof Error ? e.message : String(e)}` });
        throw e;
      }
      this.hartNode[hart] = to;
      this.migrations++;
      this.backoff.moved(hart, performance.now());
      this.cfg.logger.info({ hart, from, to, outMs: +(t1 - t0).toFixed(2), inMs: +(performance.now() - t1).toFixed(2), held: moving.held.length }, 'vCPU migrated');
    } finally {
      this.moving = undefined;
      for (const deliver of moving.held) deliver();
    }
  }

  /** --vcpu-migration fault-affinity: node `node` asks to move one of its harts where its faults are served. */
  private policyMove(node: number, r: HartMoveRequest): void {
    if (this.plan.vcpuMigration !== 'fault-affinity' || this.state !== 'running' || this.moving) return;
    if (this.hartNode[r.hart] !== node || !this.backoff.allows(r.hart, performance.now())) return; // stale, or too soon
    this.migrateHart(r.hart, r.node).catch((e: unknown) => this.cfg.logger.debug({ err: e, hart: r.hart, to: r.node }, 'policy move not made'));
  }

  /** A built-in SBI call: held while it names the migrating hart. */
  private sbiCall(from: NodeLink, c: SbiCall): void {
    if (this.moving && c.harts.includes(this.moving.hart)) this.moving.held.push(() => this.sbi.call(from, c));
    else this.sbi.call(from, c);
  }

  private async setup(): Promise<void> {
    const { plan } = this;
    const acks = await Promise.all(this.cfg.nodes.map((n, node) => n.request((seq) => coordinatorMessage('setup', {
      seq, vmId: this.cfg.id, node, nodes: plan.nodes,
      harts: plan.hartNode.flatMap((owner, h) => (owner === node ? [h] : [])),
      hartCount: plan.vcpus, ramBytes: BigInt(plan.memBytes), frames: BigInt(Math.floor(n.offer.memBytes / 4096)),
      protocol: plan.protocol, unitBytes: plan.unitBytes, pagePlacement: plan.pagePlacement,
      originNs: this.originNs, quantum: plan.run.kind === 'lockstep' ? plan.run.quantum : 0, builtinSbi: this.boot.builtinSbi,
      devices: plan.devices, deviceNode: plan.deviceNode,
      profileDsm: plan.profileDsm,
      vcpuMigration: vcpuMigrationWire(plan.vcpuMigration),
    }), 'VM setup')));
    const peers = acks.map((a, node) => ({ node, address: a.address }));
    await Promise.all(this.cfg.nodes.map((n) => n.request((seq) => coordinatorMessage('peers', { seq, peers }), 'DSM link setup')));
  }

  /** Each unit's bytes go to its initial owner, in chunks that never straddle an owner change. */
  private async load(pieces: Array<{ gpa: number; data: Uint8Array }>): Promise<void> {
    const { plan } = this;
    const jobs: Promise<unknown>[] = [];
    for (const p of pieces) {
      let off = 0;
      while (off < p.data.length) {
        const gpa = p.gpa + off;
        const owner = plan.initialOwner(Math.floor((gpa - RAM_BASE) / plan.unitBytes));
        let end = off;
        while (end < p.data.length && end - off < LOAD_CHUNK) {
          const u = Math.floor((p.gpa + end - RAM_BASE) / plan.unitBytes);
          if (plan.initialOwner(u) !== owner) break;
          end = Math.min(p.data.length, RAM_BASE + (u + 1) * plan.unitBytes - p.gpa, off + LOAD_CHUNK);
        }
        const data = p.data.subarray(off, end);
        jobs.push(this.cfg.nodes[owner]!.request((seq) => coordinatorMessage('load', { seq, gpa: BigInt(gpa), data }), 'boot image load'));
        off = end;
      }
    }
    await Promise.all(jobs);
  }

  async start(): Promise<void> {
    if (this.state !== 'created') throw new MachineError('bad-config', `VM ${this.id} is ${this.state}, not created`);
    this.state = 'running';
    this.startedAt = performance.now();
    await Promise.all(this.cfg.nodes.map((n) =>
      n.request((seq) => coordinatorMessage('start', {
        seq, pc: BigInt(this.boot.pc), a1: BigInt(this.boot.a1), bootHart: this.boot.bootHart, supervisor: this.boot.supervisor,
      }), 'start')));
    const early = this.earlyInput ?? [];
    this.earlyInput = undefined;
    if (this.plan.devices.some((d) => d.kind?.$case === 'console')) for (const b of early) this.toVirtioConsole(b);
    const { run } = this.plan;
    if (run.kind === 'lockstep') {
      const driver = new LockstepDriver(this.cfg.nodes, this.plan.hartNode, run.quantum);
      this.lockstep = driver;
      this.lockstepDone = driver.run().catch((e: unknown) => this.end({ kind: 'stopped', reason: e instanceof Error ? e.message : String(e) }));
    }
  }

  async pause(): Promise<void> {
    if (this.state !== 'running') throw new MachineError('bad-config', `VM ${this.id} is ${this.state}, not running`);
    this.lockstep?.pause();
    await this.control(Control_Op.PAUSE);
    this.state = 'paused';
  }

  async resume(): Promise<void> {
    if (this.state !== 'paused') throw new MachineError('bad-config', `VM ${this.id} is ${this.state}, not paused`);
    await this.control(Control_Op.RESUME);
    this.lockstep?.resume();
    this.state = 'running';
  }

  private control(op: Control_Op): Promise<unknown> {
    return Promise.all(this.cfg.nodes.filter((n) => !n.lostReason).map((n) =>
      n.request((seq) => coordinatorMessage('control', { seq, op }), Control_Op[op]!.toLowerCase())));
  }

  /** Ask the VM to stop (resolves `done` once every node has stopped and reported). */
  stop(reason: string): void {
    this.end({ kind: 'stopped', reason });
  }

  private end(o: VmOutcome): void {
    if (!this.finishedAt) this.finishedAt = performance.now();
    this.lockstep?.stop();
    this.finished(o);
  }

  /** What the VM does with each kind of message from node `node`. */
  private handlersFor(node: number, from: NodeLink): Handlers<AgentKind> {
    return {
      mmio: (a) => this.mmio(from, a),
      clintReply: (r) => {
        const w = this.clintWaiting.get(r.id);
        this.clintWaiting.delete(r.id);
        w?.from.send(coordinatorMessage('mmioReply', { id: w.id, value: r.value }));
      },
      sbiCall: (c) => this.sbiCall(from, c),
      moveRequest: (r) => this.policyMove(node, r),
      irqLine: (l) => this.devices.irqLine(l.source, l.level),
      consoleOutput: (o) => this.cfg.console.write(o.data),
      sbiReply: (r) => this.sbi.reply(r),
      halted: () => {
        this.haltedNodes.add(node);
        // every node that runs a hart now (one whose harts all migrated away never halts)
        if (this.hartNode.every((n) => this.haltedNodes.has(n))) this.end({ kind: 'stopped', reason: 'all harts halted' });
      },
      failure: (f) => this.end({ kind: 'stopped', reason: `node ${node} (${from.name}) failed: ${f.message}` }),
    };
  }

  private mmio(from: NodeLink, a: MmioAccess): void {
    const gpa = Number(a.gpa);
    if (isClint(gpa)) return this.clint(from, a, gpa);
    if (this.onDeviceNode(gpa)) return this.forward(from, a, this.cfg.nodes[this.plan.deviceNode]!);
    if (!this.devices.find(gpa)) {
      this.devices.unmapped++;
      // No device: a read or an unposted write makes the hart take an access fault (as on QEMU).
      if (a.id !== 0) from.send(coordinatorMessage('mmioReply', { id: a.id, fault: true }));
    } else if (a.write) {
      this.devices.writeSync(gpa, a.size, a.value);
      if (a.id !== 0) from.send(coordinatorMessage('mmioReply', { id: a.id, value: 0n }));
    } else {
      from.send(coordinatorMessage('mmioReply', { id: a.id, value: BigInt.asUintN(64, this.devices.readSync(gpa, a.size)) }));
    }
  }

  /**
   * msip/mtimecmp of a hart on another node: route to that node. Reads wait
   * for its answer; a write with an id is acknowledged once that node has
   * applied it (the writer's DSM frames wait for that: WriteOrderedTransport).
   */
  private clint(from: NodeLink, a: MmioAccess, gpa: number): void {
    const r = decodeClint(gpa);
    const hart = r.reg === 'msip' || r.reg === 'mtimecmp' ? r.hart : -1;
    if (hart < 0 || hart >= this.plan.vcpus) {
      if (a.id !== 0) from.send(coordinatorMessage('mmioReply', { id: a.id, value: 0n }));
      return;
    }
    this.toHart(hart, (n) => this.forward(from, a, n));
  }

  /** Whether `gpa` is in a window the device node serves (the virtio-mmio slots). */
  private onDeviceNode(gpa: number): boolean {
    return this.deviceWindows.some((w) => gpa >= w.base && gpa < w.base + w.size);
  }

  /** An access `target` serves (a CLINT register of its hart, a device register): its reply goes back to `from`. */
  private forward(from: NodeLink, a: MmioAccess, target: NodeLink): void {
    if (a.id === 0) {
      target.send(coordinatorMessage('clint', a));
      return;
    }
    this.clintSeq = this.clintSeq >= 0x7fff_ffff ? 1 : this.clintSeq + 1;
    this.clintWaiting.set(this.clintSeq, { from, id: a.id });
    target.send(coordinatorMessage('clint', { ...a, id: this.clintSeq }));
  }

  private async finalize(o: VmOutcome): Promise<VmResult> {
    this.state = 'stopping';
    const wallMs = this.startedAt ? (this.finishedAt || performance.now()) - this.startedAt : 0;
    const alive = this.cfg.nodes.filter((n) => !n.lostReason);
    const bounded = <T>(p: Promise<T>): Promise<T | undefined> =>
      Promise.race([p.catch(() => undefined), new Promise<undefined>((r) => setTimeout(r, STOP_TIMEOUT_MS))]);
    // Lockstep: let the quantum in flight end on its own; a STOP in mid-quantum would cut harts at a time-dependent point.
    await bounded(this.lockstepDone);
    await bounded(this.control(Control_Op.STOP));
    const reports = await Promise.all(alive.map((n) => bounded(this.report(n))));
    for (const n of alive) {
      n.send(coordinatorMessage('teardown', {}));
      n.vmId = undefined;
    }
    for (const off of this.off) off();
    this.state = 'stopped';
    const { plan } = this;
    const perNode = reports.filter((r): r is NodeReport => r !== undefined).sort((a, b) => a.node - b.node);
    const exitCode = exitCodeOf(o);
    const stats: ClusterStats = {
      vmId: this.id, nodes: plan.nodes, vcpus: plan.vcpus, memBytes: plan.memBytes, protocol: plan.protocolName,
      unitBytes: plan.unitBytes, pagePlacement: plan.pagePlacement, hartNode: [...this.hartNode], vcpuMigrations: this.migrations,
      outcome: o.kind, reason: reasonOf(o), exitCode, wallMs, perNode, totals: totalsOf(perNode),
      lockstep: this.lockstep && plan.run.kind === 'lockstep' ? { quantum: plan.run.quantum, ...this.lockstep.counts } : undefined,
    };
    this.result = { outcome: o, exitCode, stats, summary: summaryTable(stats, this.cfg.nodes) };
    return this.result;
  }

  private report(n: NodeLink): Promise<NodeReport> {
    return new Promise<NodeReport>((resolve, reject) => {
      let seq = -1;
      const off = n.on({
        message: (msg) => {
          if (msg.kind?.$case === 'report' && msg.kind.value.seq === seq && msg.kind.value.report) {
            off();
            resolve(msg.kind.value.report);
          }
        },
        lost: (why) => { off(); reject(new Error(why)); },
      });
      n.request((s) => { seq = s; return coordinatorMessage('reportRequest', { seq: s }); }, 'report').catch((e: unknown) => { off(); reject(e); });
    });
  }
}
