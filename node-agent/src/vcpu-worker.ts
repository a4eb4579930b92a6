/**
 * One vCPU worker thread per hart. Runs the engine on the node's shared
 * memory and handles locally what needs no one else: LAZY page faults,
 * the CLINT, WFI sleeps and pause/stop control. Everything else (device
 * MMIO, pages the node does not hold) goes to the main thread through the
 * HartMailbox, and the hart waits for the answer.
 *
 * The loop is a small state machine: each step returns the next state.
 */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { VcpuExit } from '@unum/vcpu';
import { PAGE_SIZE, isClint } from '@unum/machine';
import { LocalClint } from './clint-local.js';
import { Clock } from './clock.js';
import { ExitCounters, type ExitCounter } from './exit-counters.js';
import type { EngineHart, OpenEngine } from './engine.js';
import { FrameExhausted, FramePool } from './frame-pool.js';
import { Control, HartMailbox, HartRunState, Req, type HartReply } from './hart-mailbox.js';
import { HartWords } from './hart-words.js';
import { PTE_LAZY, holds } from './page-entry.js';
import { LockstepClock } from './lockstep-clock.js';
import { QuantumEnd, QuantumGate } from './quantum-gate.js';
import type { WorkerBoot } from './worker-boot.js';
import { builtinSbi } from './sbi/index.js';
import { HsmTable } from './sbi/hsm-table.js';
import { SbiRelay } from './sbi/sbi-relay.js';
import { HartSbi } from './sbi/worker-sbi.js';
import type { SbiEngine } from './sbi/supervisor-entry.js';

const ACCESS_CODE = { read: 0, write: 1, fetch: 2 } as const;
/** Longest WFI sleep without re-checking control (a stop always notifies, this is a backstop). */
const WFI_MAX_SLEEP_MS = 100;

class HartLoop {
  private readonly mailbox: HartMailbox;
  private readonly words: HartWords;
  private readonly pool: FramePool;
  private readonly clint: LocalClint;
  private readonly clock: Clock;
  private readonly counters: ExitCounters;
  private readonly gate: QuantumGate | undefined;
  /** The built-in SBI (undefined: S-mode ecalls trap to guest firmware, or are not supported). */
  private readonly sbi: HartSbi | undefined;

  constructor(private readonly boot: WorkerBoot, private readonly engine: EngineHart, private readonly lockstepClock?: LockstepClock) {
    this.mailbox = new HartMailbox(boot.mailbox);
    this.words = new HartWords(boot.buffer);
    this.pool = FramePool.attach(boot.buffer, boot.ramBytes);
    this.clock = new Clock(boot.originNs);
    this.counters = new ExitCounters(boot.counters);
    this.clint = new LocalClint(this.words, lockstepClock ?? this.clock, boot.hartCount, boot.localHarts);
    this.gate = boot.gate ? new QuantumGate(boot.gate) : undefined;
    this.sbi = boot.sbi && this.builtinSbi(boot.sbi);
  }

  private builtinSbi(bufs: NonNullable<WorkerBoot['sbi']>): HartSbi {
    const { engine, boot, pool } = this;
    if (!engine.reset || !engine.csr || !engine.setCsr) throw new Error('the built-in SBI needs an engine with reset, csr and setCsr');
    const hart = boot.hartId;
    return new HartSbi({
      hart, hartCount: boot.hartCount, ramBytes: boot.ramBytes, memory: boot.memory, buffer: boot.buffer,
      localHarts: boot.localHarts ?? Array.from({ length: boot.hartCount }, (_, h) => h),
      engine: engine as SbiEngine, hsm: new HsmTable(bufs.hsm), relay: new SbiRelay(bufs.relay),
      relayCall: () => {
        const r = this.forward({ kind: Req.Sbi, gpa: 0, size: 0, value: 0n, access: 0 });
        return r === 'fault' ? BigInt.asUintN(64, -1n) : r;
      },
      resolvePage: (gpa, access) => this.page(gpa, access),
      holds: (gpa, access) => {
        const entry = pool.entry(gpa - (gpa % PAGE_SIZE));
        return entry === PTE_LAZY || holds(entry, access);
      },
      readRam: (gpa, n) => pool.read(gpa, n),
      writeRam: (gpa, bytes) => pool.write(gpa, bytes),
      sleep: this.gate ? undefined : () => this.wfi(),
      running: () => this.mailbox.control(hart) === Control.Run,
    }, builtinSbi());
  }

  run(): void {
    const hart = this.boot.hartId;
    let seen = this.gate?.finished(hart) ?? 0;
    if (this.sbi && this.boot.supervisor && !this.sbi.parked()) this.sbi.bootSupervisor(BigInt(this.boot.pc), this.boot.a1);
    for (;;) {
      const control = this.mailbox.control(hart);
      if (control === Control.Stop) break;
      if (control === Control.Pause) {
        this.mailbox.publish(hart, HartRunState.Paused);
        this.mailbox.waitControl(hart, Control.Pause, WFI_MAX_SLEEP_MS);
        continue;
      }
      if (this.gate) {
        const grant = this.gate.waitGrant(hart, seen, WFI_MAX_SLEEP_MS);
        if (!grant) continue;
        seen = grant.gen;
        if (this.sbi && !this.sbi.tryStart()) { // HSM-stopped: the quantum passes idle
          this.mailbox.publish(hart, HartRunState.Wfi);
          this.gate.finish(hart, grant.gen, QuantumEnd.Idle, grant.budget);
          continue;
        }
        this.lockstepClock?.beginQuantum();
        this.mailbox.publish(hart, HartRunState.Running);
        const { end, left } = this.quantum(grant.budget);
        this.gate.finish(hart, grant.gen, end, left);
        if (end === QuantumEnd.Halted) break;
        continue;
      }
      if (this.sbi && !this.sbi.tryStart()) { // HSM-stopped until a hart_start
        this.mailbox.publish(hart, HartRunState.Wfi);
        this.sbi.waitStart(WFI_MAX_SLEEP_MS);
        continue;
      }
      this.mailbox.publish(hart, HartRunState.Running);
      if (!this.step(this.engine.run())) break;
    }
    this.gate?.abandon(hart);
    this.mailbox.publish(hart, HartRunState.Halted);
  }

  /**
   * Lockstep: run up to `budget` instructions. A page the node does not hold
   * ends the quantum (recorded in the gate; the main thread resolves it when
   * the coordinator says), so no fault races another node's.
   */
  private quantum(budget: number): { end: QuantumEnd; left: number } {
    let left = budget;
    while (left > 0) {
      const before = this.engine.instret;
      const exit = this.engine.run(left);
      left -= Number(this.engine.instret - before);
      const end = this.quantumExit(exit);
      if (end !== undefined) return { end, left };
    }
    return { end: QuantumEnd.Spent, left: 0 };
  }

  /** How an exit ends a lockstep quantum, or undefined to go on. */
  private quantumExit(exit: VcpuExit): QuantumEnd | undefined {
    const hart = this.boot.hartId;
    switch (exit.kind) {
      case 'page':
        if (this.retryable(exit.gpa, exit.access)) return undefined;
        this.count('pageForwarded');
        this.gate!.recordFault(hart, exit.gpa - (exit.gpa % PAGE_SIZE), ACCESS_CODE[exit.access]);
        this.mailbox.publish(hart, HartRunState.Stalled);
        return QuantumEnd.Fault;
      case 'wfi': this.count('wfi'); this.mailbox.publish(hart, HartRunState.Wfi); return QuantumEnd.Idle;
      case 'halt': return QuantumEnd.Halted;
      case 'sbi': this.step(exit); return this.sbi?.parked() ? QuantumEnd.Idle : undefined; // hart_stop ends the quantum
      case 'yield': return this.mailbox.control(hart) !== Control.Run ? QuantumEnd.Idle : undefined; // kicked: pause or stop
      default: this.step(exit); return undefined;
    }
  }

  /** Handle one exit; false when the hart is done for good. */
  private step(exit: VcpuExit): boolean {
    switch (exit.kind) {
      case 'mmio': this.mmio(exit.gpa, exit.size, exit.write, exit.value); return true;
      case 'page': this.page(exit.gpa, exit.access); return true;
      case 'wfi': this.count('wfi'); this.wfi(); return true;
      case 'sbi':
        this.count('sbi');
        if (this.sbi) this.sbi.handle(exit);
        else this.engine.completeSbi(-2n, 0n); // no built-in SBI on this node: SBI_ERR_NOT_SUPPORTED
        return true;
      case 'yield': this.count('yield'); return true;
      case 'halt': return false;
    }
  }

  private mmio(gpa: number, size: number, write: boolean, value: bigint): void {
    if (isClint(gpa) && this.clint.serves(gpa)) {
      this.count('mmioLocal');
      if (write) this.clint.write(gpa, size, value);
      else this.engine.completeMmio(this.clint.read(gpa, size));
      return;
    }
    this.count('mmioForwarded');
    if (write && this.postable(gpa)) {
      this.mailbox.post(this.boot.hartId, { kind: Req.MmioWrite, gpa, size, value, access: 0 });
      return;
    }
    const reply = this.forward({ kind: write ? Req.MmioWrite : Req.MmioRead, gpa, size, value, access: 0 });
    if (reply === 'fault') this.engine.failMmio();
    else if (!write) this.engine.completeMmio(reply);
  }

  private page(gpa: number, access: 'read' | 'write' | 'fetch'): void {
    if (this.retryable(gpa, access)) return;
    this.count('pageForwarded');
    // Not ours to resolve (no right, remote page, node full): ask the main thread.
    this.forward({ kind: Req.Page, gpa, size: 0, value: 0n, access: ACCESS_CODE[access] });
  }

  /** True if the hart may simply retry: it got a frame, or another hart resolved the page meanwhile. */
  private retryable(gpa: number, access: 'read' | 'write' | 'fetch'): boolean {
    const page = gpa - (gpa % PAGE_SIZE);
    const entry = this.pool.entry(page);
    if ((entry === PTE_LAZY && this.tryMaterialize(page)) || (entry !== PTE_LAZY && holds(entry, access))) {
      this.count('pageLocal');
      return true;
    }
    return false;
  }

  /** True if the page now has a frame (ours or a racing hart's). */
  private tryMaterialize(page: number): boolean {
    try {
      this.pool.materialize(page);
      return true;
    } catch (e) {
      if (e instanceof FrameExhausted) return false;
      throw e;
    }
  }

  /** Lockstep: never, so a write (the finisher's above all) reaches the coordinator before the quantum's end does. */
  private postable(gpa: number): boolean {
    return !this.gate && this.boot.postedWrites.some((w) => gpa >= w.base && gpa < w.base + w.size);
  }

  private count(what: ExitCounter): void {
    this.counters.bump(this.boot.hartId, what);
  }

  private forward(req: Parameters<HartMailbox['call']>[1]): HartReply {
    this.mailbox.publish(this.boot.hartId, HartRunState.Stalled);
    return this.mailbox.call(this.boot.hartId, req);
  }

  /** Sleep until an interrupt pin changes, the timer deadline passes, or control changes. */
  private wfi(): void {
    const hart = this.boot.hartId;
    this.mailbox.publish(hart, HartRunState.Wfi);
    const seen = this.words.hostIrq(hart);
    if (this.sbi?.interruptPending()) return; // an SBI IPI (a mip bit, not a pin) landed since the engine's check
    const m = this.words.mtimecmp(hart);
    const s = this.words.stimerDeadline(hart); // the Sstc / SBI set_timer deadline
    const untilTimer = this.clock.msUntil(m < s ? m : s);
    // A deadline already past cannot be what we wait for (the engine would not
    // have exited WFI then), so only an interrupt pin or control can wake us.
    const timeout = untilTimer > 0 ? Math.min(untilTimer, WFI_MAX_SLEEP_MS) : WFI_MAX_SLEEP_MS;
    if (this.mailbox.control(hart) === Control.Run) this.words.waitIrq(hart, seen, timeout);
  }
}

const boot = workerData as WorkerBoot;
// Linux: priority 0 = the calling thread only. A lower-priority hart that spins
// in the guest then no longer delays the node's main thread (DSM, MMIO replies).
if (boot.nice) {
  try {
    setPriority(0, boot.nice);
  } catch {
    // not allowed here: run at normal priority
  }
}
const { openEngine } = (await import(boot.engineModule)) as { openEngine: OpenEngine };
// Lockstep: the guest clock follows guest progress (bound to the engine once it exists).
let engine: EngineHart | undefined;
const lockstepClock = boot.gate ? new LockstepClock(new QuantumGate(boot.gate), boot.hartId, () => engine?.instret ?? 0n) : undefined;
engine = await openEngine(boot, lockstepClock && (() => lockstepClock.mtimeBig()));
new HartLoop(boot, engine, lockstepClock).run();
parentPort?.postMessage({ kind: 'exited' });
