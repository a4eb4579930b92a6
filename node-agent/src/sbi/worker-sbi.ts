/**
 * The built-in SBI inside one hart's vCPU worker: serves the hart's `sbi`
 * exits with the dispatcher, and keeps the hart parked while HSM says it is
 * stopped. `WorkerSbiHost` is the SbiHost of that hart: the hart itself and
 * the other harts of the node directly on node shared memory; harts on other
 * nodes, the console and reset through the SbiRelay to the main thread
 * (which calls the SbiForwarder). Nothing here polls memory another node owns.
 */
import { layout } from '@unum/vcpu';
import { SbiHostError, type SbiDispatcher } from './dispatcher.js';
import { maskOf } from './hart-mask.js';
import type { HsmTable } from './hsm-table.js';
import { LocalHarts } from './local-harts.js';
import type { HartSet } from '../local-hart-set.js';
import { HSM_STARTED, HSM_STOPPED, HSM_SUSPENDED, errorWord, type SbiCall } from './sbi-abi.js';
import type { RemoteFence, SbiHost } from './sbi-host.js';
import { DATA_BYTES, RelayOp, type RelayRequest, type SbiRelay } from './sbi-relay.js';
import {
  CSR_MENVCFG, CSR_MIE, CSR_MIP, CSR_SATP, CSR_STIMECMP, ENVCFG_STCE, enterSupervisor, type SbiEngine,
} from './supervisor-entry.js';

const RAM_BASE: number = layout.RAM_BASE;
const PAGE_SIZE = 4096;

/** What the worker gives the SBI. */
export interface WorkerSbiDeps {
  hart: number;
  hartCount: number;
  ramBytes: number;
  memory: WebAssembly.Memory;
  buffer: SharedArrayBuffer;
  localHarts: HartSet | readonly number[];
  engine: SbiEngine;
  hsm: HsmTable;
  relay: SbiRelay;
  /** Make the relayed request in the hart's slot and block until the main thread answers: the result word. */
  relayCall(): bigint;
  /** Queue the relayed request in the hart's slot and go on (no answer: console writes). */
  relayPost(): void;
  /** Resolve a page the node does not hold with `access` (blocks until done; the caller re-checks). */
  resolvePage(gpa: number, access: 'read' | 'write'): void;
  /** Whether the node holds `gpa`'s page with `access` (LAZY counts: the pool reads it as zero / gives it a frame). */
  holds(gpa: number, access: 'read' | 'write'): boolean;
  readRam(gpa: number, length: number): Uint8Array;
  writeRam(gpa: number, bytes: Uint8Array): void;
  /** One WFI-style sleep (until an interrupt pin or deadline, or control changes); undefined in lockstep mode (never sleep). */
  sleep?: () => void;
  /** False once the hart is asked to pause or stop (ends a suspend wait). */
  running(): boolean;
}

export class WorkerSbiHost implements SbiHost {
  readonly hartCount: number;
  readonly ramBase = RAM_BASE;
  readonly ramBytes: number;
  readonly local: LocalHarts;

  constructor(private readonly d: WorkerSbiDeps) {
    this.hartCount = d.hartCount;
    this.ramBytes = d.ramBytes;
    this.local = new LocalHarts(d.memory, d.hsm, d.localHarts);
  }

  private relay(req: RelayRequest): bigint {
    this.flushConsole(); // console bytes stay in order with what follows
    this.d.relay.awaitFree(this.d.hart);
    this.d.relay.write(this.d.hart, req);
    return this.d.relayCall();
  }

  /** Console output needs no answer: post it (the mailbox keeps it in order with the hart's later requests). */
  private post(bytes: Uint8Array): void {
    const { relay, hart } = this.d;
    relay.awaitFree(hart);
    relay.write(hart, { op: RelayOp.ConsoleWrite, bytes });
    relay.hold(hart);
    this.d.relayPost();
  }

  /** A relayed call whose result is an SBI error code. */
  private relayCode(req: RelayRequest): number {
    return Number(BigInt.asIntN(64, this.relay(req)));
  }

  private relayOk(req: RelayRequest): void {
    if (this.relayCode(req) < 0) throw new SbiHostError(`SBI relay op ${RelayOp[req.op]} failed`);
  }

  setTimer(stime: bigint): void {
    const e = this.d.engine;
    const envcfg = e.csr(CSR_MENVCFG);
    if ((envcfg & ENVCFG_STCE) === 0n) e.setCsr(CSR_MENVCFG, envcfg | ENVCFG_STCE);
    e.setCsr(CSR_STIMECMP, stime); // STIP = mtime >= stime from now on: a future value clears it
  }

  clearIpi(): void {
    this.local.clearIpi(this.d.hart);
  }

  private eachPage(gpa: number, length: number, access: 'read' | 'write', fn: (gpa: number, off: number, n: number) => void): void {
    if (gpa < RAM_BASE || gpa + length > RAM_BASE + this.ramBytes) throw new RangeError(`0x${gpa.toString(16)}+${length} is not guest RAM`);
    for (let off = 0; off < length;) {
      const a = gpa + off;
      const n = Math.min(PAGE_SIZE - ((a - RAM_BASE) % PAGE_SIZE), length - off);
      for (let tries = 0; !this.d.holds(a, access); tries++) {
        if (tries > 100) throw new SbiHostError(`page 0x${a.toString(16)} could not be held for ${access}`);
        this.d.resolvePage(a, access);
      }
      fn(a, off, n);
      off += n;
    }
  }

  readPhys(gpa: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    this.eachPage(gpa, length, 'read', (a, off, n) => out.set(this.d.readRam(a, n), off));
    return out;
  }

  writePhys(gpa: number, bytes: Uint8Array): void {
    this.eachPage(gpa, bytes.length, 'write', (a, off, n) => this.d.writeRam(a, bytes.subarray(off, off + n)));
  }

  /** Sv39 walk of the caller's satp (no permission checks: the SBI reads on the guest's behalf). */
  private translate(va: bigint): number | undefined {
    const satp = this.d.engine.csr(CSR_SATP);
    if (satp >> 60n === 0n) return Number(va);
    if (satp >> 60n !== 8n) return undefined;
    let table = (satp & ((1n << 44n) - 1n)) << 12n;
    for (let level = 2; level >= 0; level--) {
      const vpn = (va >> BigInt(12 + 9 * level)) & 0x1ffn;
      const at = Number(table + vpn * 8n);
      if (at < RAM_BASE || at + 8 > RAM_BASE + this.ramBytes) return undefined;
      const b = this.readPhys(at, 8);
      const pte = new DataView(b.buffer).getBigUint64(0, true);
      if ((pte & 1n) === 0n) return undefined;
      const ppn = pte >> 10n;
      if ((pte & 0xan) !== 0n) { // R or X: a leaf
        const span = BigInt(12 + 9 * level);
        return Number(((ppn << 12n) & ~((1n << span) - 1n)) | (va & ((1n << span) - 1n)));
      }
      table = ppn << 12n;
    }
    return undefined;
  }

  readVirt(va: bigint, length: number): Uint8Array | undefined {
    const out = new Uint8Array(length);
    try {
      for (let off = 0; off < length;) {
        const pa = this.translate(va + BigInt(off));
        if (pa === undefined) return undefined;
        const n = Math.min(PAGE_SIZE - (pa % PAGE_SIZE), length - off);
        out.set(this.readPhys(pa, n), off);
        off += n;
      }
    } catch (e) {
      if (e instanceof RangeError) return undefined;
      throw e;
    }
    return out;
  }

  sendIpi(harts: readonly number[]): void {
    const remote = this.local.guarded(() => {
      const split = this.local.split(harts);
      if (split.local.length) this.local.sendIpi(split.local);
      return split.remote;
    });
    if (remote.length) this.relayOk({ op: RelayOp.Ipi, harts: maskOf(remote) });
  }

  remoteFence(harts: readonly number[], fence: RemoteFence): void {
    const { local, remote } = this.local.split(harts);
    if (remote.length) this.relayOk({ op: RelayOp.Fence, harts: maskOf(remote), fence });
    if (local.length) this.local.fenceSync(local);
  }

  hartStart(hart: number, addr: bigint, opaque: bigint): number {
    const here = this.local.guarded(() => (this.local.has(hart) ? this.local.hartStart(hart, addr, opaque) : undefined));
    if (here !== undefined) return here;
    return this.relayCode({ op: RelayOp.HartStart, hart, addr, opaque });
  }

  hartStatus(hart: number): number {
    if (this.local.has(hart)) return this.local.hartStatus(hart);
    return this.relayCode({ op: RelayOp.HartStatus, hart });
  }

  stopSelf(): void {
    this.d.hsm.set(this.d.hart, HSM_STOPPED);
  }

  systemReset(type: number, reason: number): void {
    this.relayOk({ op: RelayOp.Reset, type, reason });
  }

  /**
   * Single bytes (legacy putchar, DBCN write_byte: Linux 6.1's hvc0 prints
   * one byte per ecall) wait here and go to the main thread as one write at
   * a newline, when full, before any other relayed call, and when the hart
   * leaves its SBI calls (flushConsole from the worker loop). A relay per
   * byte was about a fifth of a Linux boot hart's busy time.
   */
  private readonly pending = new Uint8Array(DATA_BYTES);
  private pendingLength = 0;

  flushConsole(): void {
    if (this.pendingLength === 0) return;
    const n = this.pendingLength;
    this.pendingLength = 0;
    this.post(this.pending.subarray(0, n));
  }

  consoleWrite(bytes: Uint8Array): number {
    if (bytes.length === 1) {
      this.pending[this.pendingLength++] = bytes[0]!;
      if (bytes[0] === 0x0a || this.pendingLength === DATA_BYTES) this.flushConsole();
      return 1;
    }
    this.flushConsole();
    for (let off = 0; off < bytes.length; off += DATA_BYTES) {
      this.post(bytes.subarray(off, off + DATA_BYTES));
    }
    return bytes.length;
  }

  consoleRead(max: number): Uint8Array {
    const n = this.relayCode({ op: RelayOp.ConsoleRead, max: Math.min(max, DATA_BYTES) });
    if (n < 0) throw new SbiHostError('console read failed');
    return this.d.relay.readData(this.d.hart, n);
  }
}

/** One hart's SBI: ecalls and the HSM park/start cycle. */
export class HartSbi {
  readonly host: WorkerSbiHost;

  constructor(private readonly d: WorkerSbiDeps, private readonly dispatcher: SbiDispatcher) {
    this.host = new WorkerSbiHost(d);
  }

  /** Console bytes still held for this hart go to the console now (the hart is leaving its SBI calls). */
  flushConsole(): void {
    this.host.flushConsole();
  }

  /** Serve one `sbi` exit. */
  handle(call: SbiCall): void {
    const out = this.dispatcher.handle(this.d.hart, call, this.host);
    const e = this.d.engine;
    if (out.kind !== 'ret' && out.kind !== 'legacy') this.host.flushConsole(); // stopping or suspending
    switch (out.kind) {
      case 'ret': e.completeSbi(errorWord(out.error), out.value); return;
      case 'legacy': e.completeSbi(out.value, call.args[1] ?? 0n); return;
      case 'stop': this.d.hsm.set(this.d.hart, HSM_STOPPED); return; // parked by the worker loop until a hart_start
      case 'suspend':
        this.waitInterrupt();
        e.completeSbi(0n, 0n);
        return;
      case 'suspend-resume':
        this.waitInterrupt();
        enterSupervisor(e, this.d.buffer, this.d.hart, out.addr, BigInt(this.d.hart), out.opaque);
        return;
    }
  }

  /** An interrupt is pending and enabled in mie (what ends a WFI). */
  interruptPending(): boolean {
    const e = this.d.engine;
    return (e.csr(CSR_MIP) & e.csr(CSR_MIE)) !== 0n;
  }

  /** Suspend: SUSPENDED until an interrupt is pending and enabled in mie (sstatus.SIE does not matter), as WFI. */
  private waitInterrupt(): void {
    const { hsm, hart, sleep } = this.d;
    hsm.set(hart, HSM_SUSPENDED);
    while (sleep && this.d.running() && !this.interruptPending()) sleep();
    hsm.set(hart, HSM_STARTED);
  }

  /** HSM: the hart is stopped (or its start not yet taken): it must not run. */
  parked(): boolean {
    return this.d.hsm.parked(this.d.hart);
  }

  /** Take a pending hart_start: enter S-mode at its address. True if the hart may run now. */
  tryStart(): boolean {
    const { hsm, hart } = this.d;
    if (!hsm.parked(hart)) return true;
    const start = hsm.pendingStart(hart);
    if (!start) return false;
    const { addr, opaque } = start;
    enterSupervisor(this.d.engine, this.d.buffer, hart, addr, BigInt(hart), opaque);
    hsm.set(hart, HSM_STARTED);
    return true;
  }

  /** Sleep while stopped (a start, a control change or the timeout wakes it). */
  waitStart(timeoutMs: number): void {
    this.d.hsm.wait(this.d.hart, HSM_STOPPED, timeoutMs);
  }

  /** Boot: enter S-mode at the boot pc (a kernel with the built-in SBI) instead of M-mode. */
  bootSupervisor(pc: bigint, a1: bigint): void {
    enterSupervisor(this.d.engine, this.d.buffer, this.d.hart, pc, BigInt(this.d.hart), a1);
  }
}
