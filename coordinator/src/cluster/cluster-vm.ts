/**
 * ClusterVm: one VM across several agents. The devices (UART, PLIC, test
 * finisher) live here; agents forward MMIO to them, and CLINT accesses to
 * a hart on another node are routed to that node. Builds the VM (plan →
 * setup on every node → DSM links → boot image to each unit's initial
 * owner), then drives it: start, pause, resume, stop; a lost node stops it.
 *
 * @example
 *   const vm = await ClusterVm.create({ id, plan, members, elf, bootargs: '', console, logger });
 *   await vm.start();
 *   const { exitCode, stats } = await vm.done;
 */
import { DeviceBus, decodeClint, fdtAddress, isClint, parseElf, RAM_BASE, virtFdtBlob, type ConsolePort } from '@unum/machine';
import { Clock, toBig, toNum, type AgentMessage, type MmioAccess, type NodeReport } from '@unum/node-agent';
import type { Logger } from 'pino';
import { MachineError } from '../machine-error.js';
import { exitCodeOf, type MachineOutcome } from '../machine.js';
import { LockstepDriver } from './lockstep-driver.js';
import type { Member } from './member.js';
import { summaryTable, totalsOf, type ClusterStats } from './node-report.js';
import type { VmPlan } from './vm-plan.js';

export type VmState = 'creating' | 'created' | 'running' | 'paused' | 'stopping' | 'stopped';

export interface ClusterVmConfig {
  id: string;
  plan: VmPlan;
  members: Member[];
  elf: Uint8Array;
  bootargs: string;
  console: ConsolePort;
  logger: Logger;
}

export interface ClusterResult {
  outcome: MachineOutcome;
  exitCode: number;
  stats: ClusterStats;
  summary: string;
}

/** Largest boot-image chunk sent in one Load. */
const LOAD_CHUNK = 256 * 1024;
const STOP_TIMEOUT_MS = 5000;

export class ClusterVm {
  state: VmState = 'creating';
  readonly done: Promise<ClusterResult>;
  private finished!: (o: MachineOutcome) => void;
  private readonly outcome = new Promise<MachineOutcome>((r) => { this.finished = r; });
  private readonly bus: DeviceBus;
  private readonly off: Array<() => void> = [];
  private halted = 0;
  private clintSeq = 0;
  private readonly clintWaiting = new Map<number, { from: Member; id: number }>();
  private startedAt = 0;
  private finishedAt = 0;
  private entry = 0;
  private fdtAddr = 0;
  readonly originNs = Clock.now();
  /** Lockstep mode only (plan.quantum). */
  private lockstep: LockstepDriver | undefined;
  /** Settles when the driver's loop has ended (after its step in flight). */
  private lockstepDone: Promise<void> = Promise.resolve();

  private constructor(private readonly cfg: ClusterVmConfig) {
    const { plan } = cfg;
    this.bus = new DeviceBus({
      harts: plan.vcpus,
      console: cfg.console,
      hartExternalIrq: (hart, mode, level) =>
        this.nodeOf(hart).send({ irq: { hart, pin: mode === 'M' ? 'MEIP' : 'SEIP', level } }),
      finish: (o) => this.end(o),
    });
    cfg.members.forEach((m, node) => {
      this.off.push(m.on({
        message: (msg) => this.onMessage(node, m, msg),
        lost: (why) => {
          cfg.logger.warn({ node, name: m.name, why }, 'node lost; stopping the VM');
          this.end({ kind: 'stopped', reason: `node ${node} (${m.name}) lost: ${why}` });
        },
      }));
    });
    this.done = this.outcome.then((o) => this.finalize(o));
  }

  get id(): string {
    return this.cfg.id;
  }
  get plan(): VmPlan {
    return this.cfg.plan;
  }
  get members(): Member[] {
    return this.cfg.members;
  }

  /** Validate the image, set up every node, link their DSMs, and load the boot image. */
  static async create(cfg: ClusterVmConfig): Promise<ClusterVm> {
    const ram = { base: RAM_BASE, size: cfg.plan.memBytes };
    const image = parseElf(cfg.elf, ram);
    const fdt = virtFdtBlob({ harts: cfg.plan.vcpus, ram, bootargs: cfg.bootargs, numa: cfg.plan.numa });
    const fdtAddr = fdtAddress(ram, fdt.length);
    for (const s of image.segments) {
      if (s.gpa < fdtAddr + fdt.length && fdtAddr < s.gpa + s.memsz) {
        throw new MachineError('ram-too-small', `RAM too small: the device tree at 0x${fdtAddr.toString(16)} overlaps the ELF`);
      }
    }
    const vm = new ClusterVm(cfg);
    vm.entry = image.entry;
    vm.fdtAddr = fdtAddr;
    for (const m of cfg.members) m.vmId = cfg.id;
    try {
      await vm.setup();
      await vm.load([...image.segments.map((s) => ({ gpa: s.gpa, data: s.data })), { gpa: fdtAddr, data: fdt }]);
    } catch (e) {
      vm.end({ kind: 'stopped', reason: e instanceof Error ? e.message : String(e) });
      await vm.done;
      throw e;
    }
    vm.state = 'created';
    return vm;
  }

  private nodeOf(hart: number): Member {
    return this.cfg.members[this.cfg.plan.hartNode[hart]!]!;
  }

  private async setup(): Promise<void> {
    const { plan, members } = this.cfg;
    const acks = await Promise.all(members.map((m, node) => m.request((seq) => ({
      setup: {
        seq, vmId: this.cfg.id, node, nodes: plan.nodes,
        harts: plan.hartNode.flatMap((n, h) => (n === node ? [h] : [])),
        hartCount: plan.vcpus, ramBytes: plan.memBytes, frames: Math.floor(m.memBytes / 4096),
        protocol: plan.protocol, unitBytes: plan.unitBytes, pagePlacement: plan.pagePlacement,
        originNs: this.originNs.toString(), knobs: plan.knobs, quantum: plan.quantum ?? 0,
      },
    }), 'VM setup')));
    const peers = acks.map((a, node) => ({ node, address: a.address ?? '' }));
    await Promise.all(members.map((m) => m.request((seq) => ({ peers: { seq, peers } }), 'DSM link setup')));
  }

  /** Each unit's bytes go to its initial owner, in chunks that never straddle an owner change. */
  private async load(pieces: Array<{ gpa: number; data: Uint8Array }>): Promise<void> {
    const { plan, members } = this.cfg;
    const jobs: Promise<unknown>[] = [];
    for (const p of pieces) {
      let off = 0;
      while (off < p.data.length) {
        const gpa = p.gpa + off;
        const unit = Math.floor((gpa - RAM_BASE) / plan.unitBytes);
        const owner = plan.initialOwner(unit);
        let end = off;
        while (end < p.data.length && end - off < LOAD_CHUNK) {
          const u = Math.floor((p.gpa + end - RAM_BASE) / plan.unitBytes);
          if (plan.initialOwner(u) !== owner) break;
          end = Math.min(p.data.length, RAM_BASE + (u + 1) * plan.unitBytes - p.gpa, off + LOAD_CHUNK);
        }
        const data = p.data.subarray(off, end);
        jobs.push(members[owner]!.request((seq) => ({ load: { seq, gpa, data } }), 'boot image load'));
        off = end;
      }
    }
    await Promise.all(jobs);
  }

  async start(): Promise<void> {
    if (this.state !== 'created') throw new MachineError('bad-config', `VM ${this.id} is ${this.state}, not created`);
    this.state = 'running';
    this.startedAt = performance.now();
    await Promise.all(this.cfg.members.map((m) =>
      m.request((seq) => ({ start: { seq, pc: this.entry, a1: this.fdtAddr } }), 'start')));
    const { quantum } = this.cfg.plan;
    if (quantum) {
      const driver = new LockstepDriver(this.cfg.members, this.cfg.plan.hartNode, quantum);
      this.lockstep = driver;
      this.lockstepDone = driver.run().catch((e: unknown) => this.end({ kind: 'stopped', reason: e instanceof Error ? e.message : String(e) }));
    }
  }

  async pause(): Promise<void> {
    if (this.state !== 'running') throw new MachineError('bad-config', `VM ${this.id} is ${this.state}, not running`);
    this.lockstep?.pause();
    await this.control('PAUSE');
    this.state = 'paused';
  }

  async resume(): Promise<void> {
    if (this.state !== 'paused') throw new MachineError('bad-config', `VM ${this.id} is ${this.state}, not paused`);
    await this.control('RESUME');
    this.lockstep?.resume();
    this.state = 'running';
  }

  private control(op: 'PAUSE' | 'RESUME' | 'STOP'): Promise<unknown> {
    return Promise.all(this.cfg.members.filter((m) => !m.lostReason).map((m) =>
      m.request((seq) => ({ control: { seq, op } }), op.toLowerCase())));
  }

  /** Ask the VM to stop (resolves `done` once every node has stopped and reported). */
  stop(reason: string): void {
    this.end({ kind: 'stopped', reason });
  }

  private end(o: MachineOutcome): void {
    if (!this.finishedAt) this.finishedAt = performance.now();
    this.lockstep?.stop();
    this.finished(o);
  }

  private onMessage(node: number, from: Member, m: AgentMessage): void {
    switch (m.kind) {
      case 'mmio': return this.mmio(from, m.mmio);
      case 'clintReply': {
        const w = this.clintWaiting.get(m.clintReply.id);
        this.clintWaiting.delete(m.clintReply.id);
        w?.from.send({ mmioReply: { id: w.id, value: m.clintReply.value } });
        return;
      }
      case 'halted':
        if (++this.halted === this.cfg.members.length) this.end({ kind: 'stopped', reason: 'all harts halted' });
        return;
      case 'failure':
        this.end({ kind: 'stopped', reason: `node ${node} (${from.name}) failed: ${m.failure.message}` });
        return;
      default:
        return;
    }
  }

  private mmio(from: Member, a: MmioAccess): void {
    const gpa = toNum(a.gpa);
    if (isClint(gpa)) return this.clint(from, a, gpa);
    if (a.write) {
      this.bus.writeSync(gpa, a.size, toBig(a.value));
      if (a.id !== 0) from.send({ mmioReply: { id: a.id, value: 0 } });
    } else {
      from.send({ mmioReply: { id: a.id, value: BigInt.asUintN(64, this.bus.readSync(gpa, a.size)).toString() } });
    }
  }

  /** msip/mtimecmp of a hart on another node: route to that node (reads wait for its answer). */
  private clint(from: Member, a: MmioAccess, gpa: number): void {
    const r = decodeClint(gpa);
    const hart = r.reg === 'msip' || r.reg === 'mtimecmp' ? r.hart : -1;
    if (hart < 0 || hart >= this.cfg.plan.vcpus) {
      if (!a.write) from.send({ mmioReply: { id: a.id, value: 0 } });
      return;
    }
    const target = this.nodeOf(hart);
    if (a.write) {
      target.send({ clint: { ...a, id: 0 } });
      return;
    }
    this.clintSeq = this.clintSeq >= 0x7fff_ffff ? 1 : this.clintSeq + 1;
    this.clintWaiting.set(this.clintSeq, { from, id: a.id });
    target.send({ clint: { ...a, id: this.clintSeq } });
  }

  private async finalize(o: MachineOutcome): Promise<ClusterResult> {
    this.state = 'stopping';
    const wallMs = this.startedAt ? (this.finishedAt || performance.now()) - this.startedAt : 0;
    const alive = this.cfg.members.filter((m) => !m.lostReason);
    const bounded = <T>(p: Promise<T>): Promise<T | undefined> =>
      Promise.race([p.catch(() => undefined), new Promise<undefined>((r) => setTimeout(r, STOP_TIMEOUT_MS))]);
    // Lockstep: let the quantum in flight end on its own; a STOP in mid-quantum would cut harts at a time-dependent point.
    await bounded(this.lockstepDone);
    await bounded(this.control('STOP'));
    const reports = await Promise.all(alive.map((m) => bounded(this.report(m))));
    for (const m of alive) {
      m.send({ teardown: {} });
      m.vmId = undefined;
    }
    for (const off of this.off) off();
    this.state = 'stopped';
    const { plan } = this.cfg;
    const perNode = reports.filter((r): r is NodeReport => r !== undefined).sort((a, b) => a.node - b.node);
    const exitCode = exitCodeOf(o);
    const stats: ClusterStats = {
      vmId: this.id, nodes: plan.nodes, vcpus: plan.vcpus, memBytes: plan.memBytes, protocol: plan.protocol,
      unitBytes: plan.unitBytes, pagePlacement: plan.pagePlacement, hartNode: plan.hartNode,
      outcome: o.kind, reason: o.kind === 'stopped' ? o.reason : o.kind === 'fail' ? `guest failed with ${o.code}` : '',
      exitCode, wallMs, perNode, totals: totalsOf(perNode),
      ...(this.lockstep ? { lockstep: { quantum: plan.quantum!, ...this.lockstep.counts } } : {}),
    };
    return { outcome: o, exitCode, stats, summary: summaryTable(stats) };
  }

  private report(m: Member): Promise<NodeReport> {
    return new Promise<NodeReport>((resolve, reject) => {
      let seq = -1;
      const off = m.on({
        message: (msg) => {
          if (msg.kind === 'report' && msg.report.seq === seq) {
            off();
            resolve(JSON.parse(msg.report.json) as NodeReport);
          }
        },
        lost: (why) => { off(); reject(new Error(why)); },
      });
      m.request((s) => { seq = s; return { reportRequest: { seq: s } }; }, 'report').catch((e: unknown) => { off(); reject(e); });
    });
  }
}
