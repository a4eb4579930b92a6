/**
 * The main-thread half of the built-in SBI on one node: serves what the
 * node's vCPU workers relay (SbiRelay) by calling the SbiForwarder, and
 * applies requests that other nodes send for harts placed here
 * (`local`: IPI, fences, hart start/status), which the cluster wires to
 * its messages.
 */
import type { Logger } from 'pino';
import { hartsOf } from './hart-mask.js';
import { HsmTable } from './hsm-table.js';
import { LocalHarts } from './local-harts.js';
import type { HartSet } from '../local-hart-set.js';
import { HSM_STOPPED, SBI_ERR_FAILED, SBI_ERR_NOT_SUPPORTED } from './sbi-abi.js';
import { resetReason, type RemoteFence, type SbiForwarder } from './sbi-host.js';
import { RelayOp, SbiRelay } from './sbi-relay.js';

/** The UART and test finisher of the QEMU virt board (what deviceSbiForwarder writes to). */
const UART_BASE = 0x1000_0000;
const UART_LSR = UART_BASE + 5;
const LSR_DR = 1;
const FINISHER_BASE = 0x0010_0000;
const FINISHER_PASS = 0x5555;
const FINISHER_RESET = 0x7777;

/** The slice of an MmioBus the default forwarder needs. */
export interface SbiMmio {
  read(gpa: number, size: number): Promise<bigint>;
  write(gpa: number, size: number, value: bigint): Promise<void>;
}

/**
 * The forwarder a single node uses when none is injected: the console is the
 * board's UART (THR writes, RBR reads when LSR.DR), reset is the test
 * finisher (shutdown = pass, reboot = the finisher's reset code), and there
 * are no harts on other nodes. A cluster forwarder can spread this and
 * replace the hart calls: `{ ...deviceSbiForwarder(mmio), sendIpi, ... }`.
 */
export function deviceSbiForwarder(mmio: SbiMmio, logger?: Logger): SbiForwarder {
  const noRemote = (what: string) => (): Promise<never> =>
    Promise.reject(new Error(`SBI ${what} names a hart on another node, and this node has no SBI forwarder`));
  return {
    sendIpi: noRemote('send_ipi'),
    remoteFence: noRemote('remote fence'),
    hartStart: noRemote('hart_start'),
    hartStatus: noRemote('hart_get_status'),
    async systemReset(type, reason) {
      logger?.info({ type, reason }, resetReason(type, reason));
      await mmio.write(FINISHER_BASE, 4, BigInt(type === 0 ? FINISHER_PASS : FINISHER_RESET));
    },
    async consoleWrite(bytes) {
      for (const b of bytes) await mmio.write(UART_BASE, 1, BigInt(b));
    },
    async consoleRead(max) {
      const out: number[] = [];
      while (out.length < max && (Number(await mmio.read(UART_LSR, 1)) & LSR_DR) !== 0) out.push(Number(await mmio.read(UART_BASE, 1)) & 0xff);
      return Uint8Array.from(out);
    },
  };
}

/** What other nodes may ask of this node's harts (NodeAgent.sbiLocal). */
export interface SbiLocalHarts {
  /** Harts placed on this node. */
  has(hart: number): boolean;
  sendIpi(harts: readonly number[]): void;
  /** Resolves once every listed hart has flushed. */
  remoteFence(harts: readonly number[], fence: RemoteFence): Promise<void>;
  /** An SBI error code: 0 started, -6 already started, -3 bad/mid-transition hart. */
  hartStart(hart: number, addr: bigint, opaque: bigint): number;
  /** HSM state (0 started, 1 stopped, 2 start pending, 4 suspended), or -3 if not here. */
  hartStatus(hart: number): number;
}

export class NodeSbi {
  readonly hsm = HsmTable.create();
  readonly relay = SbiRelay.create();
  private readonly harts: LocalHarts;
  readonly local: SbiLocalHarts;

  constructor(memory: WebAssembly.Memory, localHarts: HartSet | readonly number[], private readonly forwarder: SbiForwarder, private readonly logger?: Logger) {
    const harts = new LocalHarts(memory, this.hsm, localHarts);
    this.harts = harts;
    this.local = {
      has: (h) => harts.has(h),
      sendIpi: (hs) => harts.sendIpi(hs),
      remoteFence: (hs) => harts.fence(hs),
      hartStart: (h, a, o) => harts.hartStart(h, a, o),
      hartStatus: (h) => harts.hartStatus(h),
    };
  }

  /** Before the workers start: only `bootHart` (if given) runs, the other local harts wait for hart_start. */
  holdAllBut(bootHart: number, localHarts: readonly number[]): void {
    for (const h of localHarts) if (h !== bootHart) this.hsm.set(h, HSM_STOPPED);
  }

  /** Wake workers parked in HSM stopped (so they see a control change). */
  wakeAll(localHarts: readonly number[]): void {
    for (const h of localHarts) this.hsm.wake(h);
  }

  /** Serve hart `hart`'s relayed request; the result word of the mailbox reply. */
  async serve(hart: number): Promise<bigint> {
    const req = this.relay.read(hart);
    const f = this.forwarder;
    try {
      switch (req.op) {
        case RelayOp.Ipi: await f.sendIpi(hartsOf(req.harts)); return 0n;
        case RelayOp.Fence: await f.remoteFence(hartsOf(req.harts), req.fence); return 0n;
        case RelayOp.HartStart: return word(await f.hartStart(req.hart, req.addr, req.opaque));
        case RelayOp.HartStatus: return word(await f.hartStatus(req.hart));
        case RelayOp.Reset: await f.systemReset(req.type, req.reason); return 0n;
        case RelayOp.ConsoleWrite: await f.consoleWrite(req.bytes); return BigInt(req.bytes.length);
        case RelayOp.ConsoleRead: return BigInt(this.relay.putData(hart, await f.consoleRead(req.max)));
      }
    } catch (e) {
      this.logger?.warn({ err: e, hart, op: RelayOp[req.op] }, 'SBI call failed on the host side');
      return word(SBI_ERR_FAILED);
    }
    return word(SBI_ERR_NOT_SUPPORTED);
  }
}

const word = (v: number): bigint => BigInt.asUintN(64, BigInt(v));
