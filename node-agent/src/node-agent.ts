/**
 * NodeAgent: one node's share of the VM. Creates the node memory, the
 * FramePool and one vCPU worker per hart; serves what workers forward
 * (device MMIO through the injected MmioBus, page faults through the
 * injected handler, where the DSM plugs in); drives interrupt pins. The
 * harts run free or in lockstep (`agent.lockstep`, run-policy/).
 *
 * @example
 *   const agent = await NodeAgent.create({ harts: 2, ramBytes: 64 << 20, mmio: bus });
 *   agent.pool.write(0x8000_0000, program);
 *   const done = agent.start({ pc: 0x8000_0000, a1: fdtAddr });
 *   agent.setExternalIrq(0, 'M', true);   // PLIC → MEIP of hart 0
 *   await agent.stop();
 */
import { Worker } from 'node:worker_threads';
import { bumpEpoch, waitForEpoch } from '@unum/vcpu';
import type { Logger } from 'pino';
import { Clock } from './clock.js';
import { ExitCounters, type ExitCounts } from './exit-counters.js';
import { createNodeMemory } from './engine.js';
import { FramePool, NotLocal } from './frame-pool.js';
import { Control, HartMailbox, Req, type HartReply, type HartRequest, type HartRunStateName } from './hart-mailbox.js';
import { HartWords } from './hart-words.js';
import { captureHart, restoreHostWords, type HartImage } from './hart-image.js';
import { LocalHartSet } from './local-hart-set.js';
import { NoDevice, RAM_BASE, type MmioBus, type MmioWindow } from '@unum/machine';
import { IRQ_MEIP, IRQ_SEIP, MAX_HARTS } from './node-layout.js';
import { PTE_LAZY } from './page-entry.js';
import { FreeRunning, Lockstep, type LockstepConfig, type RunPolicy } from './run-policy/index.js';
import type { WorkerBoot } from './worker-boot.js';
import { NodeSbi, deviceSbiForwarder, type SbiLocalHarts } from './sbi/node-sbi.js';
import { SBI_ERR_NOT_SUPPORTED, errorWord } from './sbi/sbi-abi.js';
import type { SbiForwarder, SbiMode } from './sbi/sbi-host.js';

import type { PageAccess, PageFault } from './page-fault.js';
export type { PageAccess, PageFault } from './page-fault.js';
/** Resolve a fault the worker could not (fix the entry, then return: the hart retries). */
export type PageFaultHandler = (fault: PageFault, pool: FramePool) => Promise<void>;

export interface NodeAgentConfig {
  harts: number;
  ramBytes: number;
  /** Frames this node may hold (default: all of guest RAM). */
  frames?: number;
  mmio: MmioBus;
  pageFault?: PageFaultHandler;
  /** Host monotonic ns at which mtime = 0 (default: now). */
  originNs?: bigint;
  logger?: Logger;
  /**
   * Device windows whose writes the harts may post (queue and go on, in
   * order) instead of waiting for: devices that exist and whose writes
   * cannot fault. Writes elsewhere wait, so a missing device faults the store.
   */
  postedWrites?: MmioWindow[];
  /** Engine module the workers load (default: @unum/vcpu via ./engine.js). */
  engineModule?: URL;
  /** Cluster: global ids of the harts placed on this node (default 0..harts-1). */
  hartIds?: number[];
  /** Cluster: harts in the whole VM (default `harts`); CLINT accesses to harts not here are forwarded. */
  hartCount?: number;
  /** Cluster: RAM starts unmapped (the DSM maps units) instead of all LAZY (owned here). */
  unmappedRam?: boolean;
  /** Nice value of the vCPU worker threads (default: the process's). */
  vcpuNice?: number;
  /** Lockstep (deterministic) mode: harts run only in quanta `agent.lockstep` grants (default: free-running). */
  lockstep?: LockstepConfig;
  /**
   * Where the SBI lives (default 'firmware': S-mode ecalls trap, for guest
   * M-mode firmware and bare-metal ELFs). 'builtin': the agent implements
   * SBI as KVM does (docs/sbi.md), for a kernel booted with `--bios none`.
   */
  sbi?: SbiMode;
  /**
   * Built-in SBI: what this node cannot do itself (harts on other nodes,
   * console, reset). Default: deviceSbiForwarder(mmio) (UART, test
   * finisher, no remote harts). The cluster injects one that sends messages.
   */
  sbiForwarder?: SbiForwarder;
}

export interface BootState {
  pc: number;
  /** a1 for every hart (the FDT address); a0 is the hart id. */
  a1: number;
  /**
   * Built-in SBI only: the one hart (VM-wide id) that starts; every other
   * hart is HSM-stopped until a hart_start (as under SBI firmware). Default:
   * every hart starts at `pc` (bare-metal `-bios none` ELFs).
   */
  bootHart?: number;
  /** Built-in SBI only: start in S-mode (a kernel: satp = 0, traps delegated to S) instead of M-mode. */
  supervisor?: boolean;
}

export interface HartStatus {
  hart: number;
  state: HartRunStateName;
  instret: bigint;
  exits: ExitCounts;
}

const ACCESS: PageAccess[] = ['read', 'write', 'fetch'];

/** Single-node default: LAZY pages get a local frame; anything else is a bug or a full node. */
export const allocateLocally: PageFaultHandler = async (fault, pool) => {
  const page = fault.gpa - (fault.gpa % 4096);
  if (pool.entry(page) === PTE_LAZY) pool.materialize(page);
  else if (pool.entry(page) === 0) throw new NotLocal(fault.gpa);
};

export class NodeAgent {
  /** The running vCPU worker of each hart here. */
  private readonly workers = new Map<number, Worker>();
  /** Harts whose worker is ending to migrate away: resolved at its exit. */
  private readonly leaving = new Map<number, () => void>();
  /** How the harts started (a hart that migrates in starts from its image instead). */
  private boot: BootState | undefined;
  /** Resolves `start()`'s promise: no hart runs here any more (all halted, or stop()). */
  private allExited: (() => void) | undefined;
  private stopping = false;
  /** stop() was called: what fails from then on (a fault the closing DSM rejects) is the teardown, not a failure. */
  private stopRequested = false;
  private failure: Error | undefined;
  private readonly counters = ExitCounters.create(MAX_HARTS); // indexed by hart id
  /** How the harts run: free-running or `lockstep`. */
  private readonly policy: RunPolicy;
  /** Lockstep mode: runs quanta and resolves faults when the coordinator says (undefined: free-running). */
  readonly lockstep: Lockstep | undefined;
  /** The built-in SBI's main-thread half (NodeAgentConfig.sbi = 'builtin'). */
  private readonly sbi: NodeSbi | undefined;

  private constructor(
    private readonly cfg: NodeAgentConfig,
    readonly memory: WebAssembly.Memory,
    private readonly module: WebAssembly.Module,
    readonly buffer: SharedArrayBuffer,
    readonly pool: FramePool,
    readonly clock: Clock,
    private readonly mailbox: HartMailbox,
    private readonly words: HartWords,
    /** The harts here now (they migrate in and out: emigrate/immigrate). */
    readonly local: LocalHartSet,
  ) {
    this.lockstep = cfg.lockstep && new Lockstep({
      hartIds: hartIdsOf(cfg), stopped: () => this.stopping, handleFault: (f) => this.handleFault(f),
    }, cfg.lockstep);
    this.policy = this.lockstep ?? new FreeRunning();
    this.sbi = cfg.sbi === 'builtin'
      ? new NodeSbi(memory, local, cfg.sbiForwarder ?? deviceSbiForwarder(cfg.mmio, cfg.logger), cfg.logger)
      : undefined;
  }

  /** Built-in SBI: apply requests other nodes make of this node's harts (IPI, fences, hart start/status). */
  get sbiLocal(): SbiLocalHarts | undefined {
    return this.sbi?.local;
  }

  static async create(cfg: NodeAgentConfig): Promise<NodeAgent> {
    const frames = cfg.frames ?? cfg.ramBytes / 4096;
    // Hart state and mailbox are indexed by hart id, with a slot for every hart of the VM: any may migrate here.
    const slots = Math.max(cfg.hartCount ?? 0, Math.max(0, ...hartIdsOf(cfg)) + 1);
    const { memory, buffer, module } = await createNodeMemory({ harts: slots, ramBytes: cfg.ramBytes, frames, sbi: cfg.sbi === 'builtin' });
    const pool = FramePool.create(buffer, { ramBytes: cfg.ramBytes, frames });
    if (!cfg.unmappedRam) pool.mapLazy(RAM_BASE, cfg.ramBytes); // single node: every page is ours
    return new NodeAgent(cfg, memory, module, buffer, pool, new Clock(cfg.originNs ?? Clock.now()),
      HartMailbox.create(slots), new HartWords(buffer), LocalHartSet.create(hartIdsOf(cfg)));
  }

  get harts(): number {
    return this.cfg.harts;
  }

  /** Global ids of the harts this node runs now. */
  get hartIds(): number[] {
    return this.local.ids();
  }

  /** Start every hart; resolves when all have halted, rejects on a host-side failure. */
  start(boot: BootState): Promise<void> {
    if ((boot.bootHart !== undefined || boot.supervisor) && !this.sbi) throw new Error('bootHart and supervisor need the built-in SBI (sbi: \'builtin\')');
    if (boot.bootHart !== undefined) this.sbi!.holdAllBut(boot.bootHart, this.hartIds);
    this.boot = boot;
    const done = new Promise<void>((resolve) => { this.allExited = resolve; });
    for (const hart of this.hartIds) this.spawn(hart);
    if (this.workers.size === 0) this.allExited?.();
    void this.mailbox.serve((hart, req) => this.serve(hart, req), () => this.stopping);
    return done.then(() => {
      this.stopping = true;
      if (this.failure) throw this.failure;
    });
  }

  /** Start hart `hart`'s worker: from the boot state, or from the image it migrated in with. */
  private spawn(hart: number, image?: HartImage): Worker {
    const boot = this.boot!;
    const data: WorkerBoot = {
      memory: this.memory, module: this.module, buffer: this.buffer, mailbox: this.mailbox.buffer, counters: this.counters.buffer,
      hartId: hart, hartCount: this.cfg.hartCount ?? this.cfg.harts, localHarts: this.local.buffer, nice: this.cfg.vcpuNice, ramBytes: this.cfg.ramBytes,
      originNs: this.clock.originNs, pc: boot.pc, a0: BigInt(hart), a1: BigInt(boot.a1),
      postedWrites: this.cfg.postedWrites ?? [], run: this.policy.boot,
      sbi: this.sbi && { hsm: this.sbi.hsm.buffer, relay: this.sbi.relay.buffer }, supervisor: boot.supervisor, image,
      engineModule: (this.cfg.engineModule ?? new URL('./engine.js', import.meta.url)).href,
    };
    const worker = new Worker(new URL('./vcpu-worker.js', import.meta.url), { workerData: data });
    this.workers.set(hart, worker);
    worker.on('error', (e) => this.fail(e));
    worker.on('exit', () => {
      this.workers.delete(hart);
      const left = this.leaving.get(hart);
      this.leaving.delete(hart);
      if (left) left(); // migrating away: not a halt
      else if (this.workers.size === 0) this.allExited?.();
    });
    return worker;
  }

  private refuseInLockstep(): void {
    if (this.lockstep) throw new Error('vCPU migration needs free-running harts (not --deterministic)');
  }

  /**
   * vCPU migration, the leaving half: stop hart `hart` at its next exit
   * boundary, end its worker and hand back its state. From here on its
   * CLINT registers and SBI requests are another node's (the coordinator
   * holds what is addressed to it until it runs there).
   */
  async emigrate(hart: number): Promise<HartImage> {
    this.refuseInLockstep();
    if (!this.local.has(hart) || !this.workers.has(hart)) throw new Error(`hart ${hart} is not running on this node`);
    const left = new Promise<void>((resolve) => this.leaving.set(hart, resolve));
    this.mailbox.setControl(hart, Control.Stop);
    this.words.requestStop(hart);
    this.policy.wake(hart);
    this.sbi?.wakeAll([hart]);
    await left;
    await this.mailbox.drained(); // its posted device writes leave this node before its state does
    this.local.delete(hart);
    await this.local.quiet(); // an IPI or msip write that saw the hart here lands before the capture
    return captureHart(this.buffer, hart, this.sbi?.hsm.state(hart) ?? 0);
  }

  /**
   * vCPU migration, the arriving half: run the hart from its image. It joins
   * the LocalHartSet only once its worker has written the image back (the
   * engine's reset clears the hart's state first, and an IPI set before that
   * would be lost); until then its IPIs and CLINT writes go through the
   * coordinator, which holds them until this resolves.
   */
  async immigrate(image: HartImage): Promise<void> {
    const hart = image.hart;
    this.refuseInLockstep();
    if (!this.boot || this.stopRequested) throw new Error('this node is not running');
    if (this.local.has(hart) || this.workers.has(hart)) throw new Error(`hart ${hart} already runs on this node`);
    if (hart < 0 || hart >= (this.cfg.hartCount ?? this.cfg.harts)) throw new Error(`no hart ${hart} in this VM`);
    restoreHostWords(this.buffer, image);
    this.sbi?.hsm.set(hart, image.hsm);
    this.mailbox.setControl(hart, Control.Run);
    const restored = new Promise<void>((resolve, reject) => {
      const worker = this.spawn(hart, image);
      worker.on('message', (m: { kind?: string }) => { if (m.kind === 'restored') resolve(); });
      worker.once('exit', () => reject(new Error(`hart ${hart}'s worker ended before it was restored`)));
    });
    await restored;
    this.local.add(hart);
  }

  private async serve(hart: number, req: HartRequest): Promise<HartReply> {
    try {
      switch (req.kind) {
        case Req.MmioRead: return await this.cfg.mmio.read(req.gpa, req.size);
        case Req.MmioWrite: await this.cfg.mmio.write(req.gpa, req.size, req.value); return 0n;
        case Req.Page:
          await this.handleFault({ hart, gpa: req.gpa, access: ACCESS[req.access]! }); // a failure stops the agent
          return 0n;
        case Req.Sbi: return this.sbi ? await this.sbi.serve(hart) : errorWord(SBI_ERR_NOT_SUPPORTED);
      }
    } catch (e) {
      if (e instanceof NoDevice && !req.posted) return 'fault';
      this.fail(e instanceof Error ? e : new Error(String(e)));
      return 0n;
    }
  }

  private fail(e: Error): void {
    if (this.stopRequested) {
      this.cfg.logger?.debug({ err: e }, 'request ended by the stop');
      return;
    }
    this.cfg.logger?.error({ err: e }, 'node agent failure; stopping harts');
    this.failure ??= e;
    void this.stop();
  }

  /** Resolve one fault through the handler; false (and the agent failed) if it threw. */
  private async handleFault(f: PageFault): Promise<boolean> {
    try {
      await (this.cfg.pageFault ?? allocateLocally)(f, this.pool);
      return true;
    } catch (e) {
      this.fail(e instanceof Error ? e : new Error(String(e)));
      return false;
    }
  }

  /** Raise/lower a hart's external interrupt pin (MEIP or SEIP). */
  setExternalIrq(hart: number, mode: 'M' | 'S', level: boolean): void {
    this.words.setIrq(hart, mode === 'M' ? IRQ_MEIP : IRQ_SEIP, level);
  }

  hartStatus(): HartStatus[] {
    return this.hartIds.map((hart) => ({ hart, state: this.mailbox.runState(hart), instret: this.words.instret(hart), exits: this.counters.of(hart) }));
  }

  /** Park every hart between instructions; resolves once all are parked (or halted). */
  async pause(): Promise<void> {
    this.policy.setPaused(true);
    for (const h of this.hartIds) {
      this.mailbox.setControl(h, Control.Pause);
      this.words.kick(h);
      this.policy.wake(h);
    }
    this.sbi?.wakeAll(this.hartIds); // HSM-stopped harts park too
    while (this.hartStatus().some((s) => s.state !== 'paused' && s.state !== 'halted')) {
      await new Promise((r) => setTimeout(r, 1));
    }
  }

  resume(): void {
    this.policy.setPaused(false);
    for (const h of this.hartIds) this.mailbox.setControl(h, Control.Run);
  }

  /** The SC handshake (docs/architecture.md): after a weaker entry is stored. */
  revoke(): Promise<void> {
    return waitForEpoch(this.memory, bumpEpoch(this.memory), this.hartIds);
  }

  /** Halt every hart and end the workers. Idempotent. */
  async stop(): Promise<void> {
    this.stopRequested = true;
    for (const h of this.hartIds) {
      this.mailbox.setControl(h, Control.Stop);
      this.words.requestStop(h);
      this.policy.wake(h);
    }
    this.sbi?.wakeAll(this.hartIds);
    const workers = [...this.workers.values()];
    const deadline = setTimeout(() => workers.forEach((w) => void w.terminate()), 2000);
    await Promise.all(workers.map((w) => new Promise<void>((resolve) => {
      if (w.threadId < 0) resolve();
      else w.once('exit', () => resolve());
    })));
    clearTimeout(deadline);
    this.stopping = true;
    this.allExited?.(); // every hart may have migrated away: start()'s promise ends with the stop
  }
}

function hartIdsOf(cfg: NodeAgentConfig): number[] {
  return cfg.hartIds ?? Array.from({ length: cfg.harts }, (_, h) => h);
}
