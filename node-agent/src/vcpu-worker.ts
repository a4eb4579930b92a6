/**
 * One vCPU worker thread per hart. Runs the engine on the node's shared
 * memory and handles locally what needs no one else: LAZY page faults,
 * the CLINT, WFI sleeps and pause/stop control. Everything else (device
 * MMIO, pages the node does not hold) goes to the main thread through the
 * HartMailbox, and the hart waits for the answer.
 *
 * The loop checks control, then lets the run policy take a turn (free:
 * one engine run; lockstep: one granted quantum). Every exit goes through
 * one switch, which asks the policy only where the two differ: a page the
 * node does not hold, WFI, a yield (run-policy/).
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
import { restoreArch } from './hart-image.js';
import { LocalHartSet, guarded } from './local-hart-set.js';
import { PTE_LAZY, holds } from './page-entry.js';
// Not run-policy/index.js: that also exports the NodeAgent side, which loads the DSM and gRPC into every worker.
import { hartPolicy } from './run-policy/hart-policy.js';
import { QuantumEnd } from './run-policy/quantum-gate.js';
import { MAX_WAIT_MS, type Hart, type HartPolicy } from './run-policy/run-policy.js';
import type { WorkerBoot } from './worker-boot.js';
import { wfiSleepMs } from './wfi-sleep.js';
import { builtinSbi } from './sbi/index.js';
import { HsmTable } from './sbi/hsm-table.js';
import { SbiRelay } from './sbi/sbi-relay.js';
import { HartSbi } from './sbi/worker-sbi.js';
import type { SbiEngine } from './sbi/supervisor-entry.js';

const ACCESS_CODE = { read: 0, write: 1, fetch: 2 } as const;
/** The mailbox request that hands the main thread the hart's SbiRelay slot. */
const SBI_RELAY = { kind: Req.Sbi, gpa: 0, size: 0, value: 0n, access: 0 } as const;
/** How long a spinning hart yields its core: long enough for the host to run the hart it waits for. */
const SPIN_NAP_MS = 0.1;

class HartLoop implements Hart {
  readonly id: number;
  private readonly mailbox: HartMailbox;
  private readonly words: HartWords;
  private readonly pool: FramePool;
  private readonly clint: LocalClint;
  /** The harts on this node now (undefined: all of them, one node). */
  private readonly local: LocalHartSet | undefined;
  private readonly clock: Clock;
  private readonly counters: ExitCounters;
  /** The built-in SBI (undefined: S-mode ecalls trap to guest firmware, or are not supported). */
  readonly sbi: HartSbi | undefined;

  constructor(private readonly boot: WorkerBoot, readonly engine: EngineHart, private readonly policy: HartPolicy) {
    this.id = boot.hartId;
    this.mailbox = new HartMailbox(boot.mailbox);
    this.words = new HartWords(boot.buffer);
    this.pool = FramePool.attach(boot.buffer, boot.ramBytes);
    this.clock = new Clock(boot.originNs);
    this.counters = new ExitCounters(boot.counters);
    this.local = boot.localHarts && new LocalHartSet(boot.localHarts);
    this.clint = new LocalClint(this.words, policy.clock ?? this.clock, boot.hartCount, this.local);
    this.sbi = boot.sbi && this.builtinSbi(boot.sbi);
  }

  private builtinSbi(bufs: NonNullable<WorkerBoot['sbi']>): HartSbi {
    const { engine, boot, pool } = this;
    if (!engine.reset || !engine.csr || !engine.setCsr) throw new Error('the built-in SBI needs an engine with reset, csr and setCsr');
    const hart = boot.hartId;
    return new HartSbi({
      hart, hartCount: boot.hartCount, ramBytes: boot.ramBytes, memory: boot.memory, buffer: boot.buffer,
      localHarts: this.local ?? Array.from({ length: boot.hartCount }, (_, h) => h),
      engine: engine as SbiEngine, hsm: new HsmTable(bufs.hsm), relay: new SbiRelay(bufs.relay),
      relayPost: () => this.mailbox.post(hart, SBI_RELAY),
      relayCall: () => {
        const r = this.forward(SBI_RELAY);
        return r === 'fault' ? BigInt.asUintN(64, -1n) : r;
      },
      resolvePage: (gpa, access) => this.page(gpa, access),
      holds: (gpa, access) => {
        const entry = pool.entry(gpa - (gpa % PAGE_SIZE));
        return entry === PTE_LAZY || holds(entry, access);
      },
      readRam: (gpa, n) => pool.read(gpa, n),
      writeRam: (gpa, bytes) => pool.write(gpa, bytes),
      sleep: this.policy.sleeps ? () => this.sleep() : undefined,
      running: () => this.mailbox.control(hart) === Control.Run,
    }, builtinSbi());
  }

  run(): void {
    const hart = this.id;
    if (this.sbi && this.boot.supervisor && !this.boot.image && !this.sbi.parked()) this.sbi.bootSupervisor(BigInt(this.boot.pc), this.boot.a1);
    for (;;) {
      const control = this.mailbox.control(hart);
      if (control === Control.Stop) break;
      if (control === Control.Pause) {
        this.mailbox.publish(hart, HartRunState.Paused);
        this.mailbox.waitControl(hart, Control.Pause, MAX_WAIT_MS);
        continue;
      }
      if (this.policy.turn(this) === QuantumEnd.Halted) break;
    }
    this.policy.leave(this);
    this.mailbox.publish(hart, HartRunState.Halted);
  }

  /** Handle one exit: undefined to go on, or how the turn ends (Halted: the hart is done for good). */
  exit(exit: VcpuExit): QuantumEnd | undefined {
    if (exit.kind !== 'sbi') this.sbi?.flushConsole(); // console bytes held across consecutive SBI calls
    switch (exit.kind) {
      case 'mmio': this.mmio(exit.gpa, exit.size, exit.write, exit.value); return undefined;
      case 'page': return this.retryable(exit.gpa, exit.access) ? undefined : this.policy.fault(this, exit.gpa, exit.access);
      case 'wfi': this.count('wfi'); return this.policy.wfi(this);
      case 'sbi':
        this.count('sbi');
        if (!this.sbi) {
          this.engine.completeSbi(-2n, 0n); // no built-in SBI on this node: SBI_ERR_NOT_SUPPORTED
          return undefined;
        }
        this.sbi.handle(exit);
        return this.sbi.parked() ? QuantumEnd.Idle : undefined; // hart_stop ends the turn
      case 'yield':
        if (exit.spinning && this.policy.sleeps) this.nap();
        return this.policy.yielded(this);
      case 'halt': return QuantumEnd.Halted;
    }
  }

  private mmio(gpa: number, size: number, write: boolean, value: bigint): void {
    if (isClint(gpa) && this.clintHere(gpa, size, write, value)) return;
    this.count('mmioForwarded');
    if (write && this.postable(gpa)) {
      this.mailbox.post(this.boot.hartId, { kind: Req.MmioWrite, gpa, size, value, access: 0 });
      return;
    }
    const reply = this.forward({ kind: write ? Req.MmioWrite : Req.MmioRead, gpa, size, value, access: 0 });
    if (reply === 'fault') this.engine.failMmio();
    else if (!write) this.engine.completeMmio(reply);
  }

  /** A CLINT register of a hart on this node (or mtime): served here; false: the hart is elsewhere. */
  private clintHere(gpa: number, size: number, write: boolean, value: bigint): boolean {
    return guarded(this.local, () => { // the hart cannot leave between the check and the write
      if (!this.clint.serves(gpa)) return false;
      this.count('mmioLocal');
      if (write) this.clint.write(gpa, size, value);
      else this.engine.completeMmio(this.clint.read(gpa, size));
      return true;
    });
  }

  private page(gpa: number, access: 'read' | 'write' | 'fetch'): void {
    if (!this.retryable(gpa, access)) this.forwardFault(gpa, access);
  }

  /** Not ours to resolve (no right, remote page, node full): ask the main thread. */
  forwardFault(gpa: number, access: 'read' | 'write' | 'fetch'): void {
    this.count('pageForwarded');
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

  /** A posted write: the policy allows it (lockstep does not) and the device's window is one whose writes cannot fault. */
  private postable(gpa: number): boolean {
    return this.policy.posts && this.boot.postedWrites.some((w) => gpa >= w.base && gpa < w.base + w.size);
  }

  count(what: ExitCounter): void {
    this.counters.bump(this.boot.hartId, what);
  }

  publish(state: HartRunState): void {
    this.mailbox.publish(this.boot.hartId, state);
  }

  running(): boolean {
    return this.mailbox.control(this.boot.hartId) === Control.Run;
  }

  private forward(req: Parameters<HartMailbox['call']>[1]): HartReply {
    this.mailbox.publish(this.boot.hartId, HartRunState.Stalled);
    return this.mailbox.call(this.boot.hartId, req);
  }

  /** A spinning hart gives its host core away for SPIN_NAP_MS (an interrupt pin ends it sooner). */
  private nap(): void {
    this.words.waitIrq(this.id, this.words.hostIrq(this.id), SPIN_NAP_MS);
  }

  /** Sleep until an interrupt pin changes, the timer deadline passes, or control changes. */
  sleep(): void {
    const hart = this.boot.hartId;
    this.mailbox.publish(hart, HartRunState.Wfi);
    const seen = this.words.hostIrq(hart);
    if (this.sbi?.interruptPending()) return; // an SBI IPI (a mip bit, not a pin) landed since the engine's check
    const timeout = wfiSleepMs(this.clock, [this.words.mtimecmp(hart), this.words.stimerDeadline(hart)], MAX_WAIT_MS);
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
const policy = hartPolicy(boot.run, boot.hartId, () => engine?.instret ?? 0n);
const clock = policy.clock;
engine = await openEngine(boot, clock && (() => clock.mtimeBig()));
if (boot.image) {
  restoreArch(boot.buffer, boot.image); // migrated here: go on where it left off
  parentPort?.postMessage({ kind: 'restored' }); // now the node may count it as local (NodeAgent.immigrate)
}
new HartLoop(boot, engine, policy).run();
parentPort?.postMessage({ kind: 'exited' });
