// The shared-memory half of the SBI: HSM table, IPIs and fences on a node's
// harts, and the worker→main-thread relay encoding (no workers needed).
import { createNodeMemory, currentEpoch, layout } from '@unum/vcpu';
import { describe, expect, it } from 'vitest';
import { HsmTable } from './hsm-table.js';
import { LocalHarts, MIP_SSIP } from './local-harts.js';
import { HSM_START_PENDING, HSM_STARTED, HSM_STOPPED, SBI_ERR_ALREADY_AVAILABLE, SBI_ERR_INVALID_PARAM } from './sbi-abi.js';
import { RelayOp, SbiRelay } from './sbi-relay.js';
import { NodeSbi, deviceSbiForwarder } from './node-sbi.js';
import type { SbiForwarder } from './sbi-host.js';

const { HART_BASE, HART_STRIDE, H_MIP } = layout;

describe('LocalHarts', () => {
  const memory = createNodeMemory({ ramBytes: 1 << 20, harts: 3 });
  const i32 = new Int32Array(memory.buffer);
  const mip = (h: number): number => Atomics.load(i32, (HART_BASE + h * HART_STRIDE + H_MIP) >> 2);

  it('IPIs set SSIP in the software mip word; clear_ipi clears it', () => {
    const harts = new LocalHarts(memory, HsmTable.create(), [0, 2]);
    harts.sendIpi([0, 2]);
    expect(mip(0) & MIP_SSIP).toBe(MIP_SSIP);
    expect(mip(1) & MIP_SSIP).toBe(0);
    harts.clearIpi(0);
    expect(mip(0) & MIP_SSIP).toBe(0);
    expect(mip(2) & MIP_SSIP).toBe(MIP_SSIP);
    expect(() => harts.sendIpi([1])).toThrow(/not on this node/);
    expect(harts.split([0, 1, 2])).toEqual({ local: [0, 2], remote: [1] });
  });

  it('a fence bumps the epoch and returns (harts outside run() count as done)', async () => {
    const harts = new LocalHarts(memory, HsmTable.create(), [0, 1]);
    const e = currentEpoch(memory);
    harts.fenceSync([0, 1]);
    await harts.fence([1]);
    expect(currentEpoch(memory)).toBe(e + 2);
  });

  it('HSM: start a stopped hart once; status reflects it', () => {
    const hsm = HsmTable.create();
    const harts = new LocalHarts(memory, hsm, [0, 1]);
    hsm.set(1, HSM_STOPPED);
    expect(harts.hartStatus(1)).toBe(HSM_STOPPED);
    expect(hsm.parked(1)).toBe(true);
    expect(harts.hartStart(1, 0x8000_1000n, 7n)).toBe(0);
    expect(harts.hartStatus(1)).toBe(HSM_START_PENDING);
    expect(hsm.pendingStart(1)).toEqual({ addr: 0x8000_1000n, opaque: 7n });
    expect(harts.hartStart(1, 0x8000_1000n, 7n)).toBe(SBI_ERR_INVALID_PARAM); // mid-transition
    hsm.set(1, HSM_STARTED);
    expect(harts.hartStart(1, 0x8000_1000n, 7n)).toBe(SBI_ERR_ALREADY_AVAILABLE);
    expect(harts.hartStatus(0)).toBe(HSM_STARTED); // zero-filled table: started
    expect(harts.hartStatus(2)).toBe(SBI_ERR_INVALID_PARAM); // not on this node
  });
});

describe('SbiRelay', () => {
  it('round-trips every request kind', () => {
    const relay = SbiRelay.create();
    const reqs = [
      { op: RelayOp.Ipi, harts: 0x8000_0000_0000_0001n },
      { op: RelayOp.Fence, harts: 6n, fence: { kind: 'sfence.vma.asid' as const, start: 0x1000n, size: 2n ** 64n - 1n, asid: 3n } },
      { op: RelayOp.HartStart, hart: 5, addr: 0x8020_0000n, opaque: 2n ** 63n },
      { op: RelayOp.HartStatus, hart: 63 },
      { op: RelayOp.Reset, type: 1, reason: 0 },
      { op: RelayOp.ConsoleWrite, bytes: new TextEncoder().encode('héllo') },
      { op: RelayOp.ConsoleRead, max: 16 },
    ];
    for (const req of reqs) {
      relay.write(7, req);
      expect(relay.read(7)).toEqual(req);
    }
    expect(relay.putData(7, Uint8Array.of(1, 2, 3))).toBe(3);
    expect(Array.from(relay.readData(7, 3))).toEqual([1, 2, 3]);
  });
});

describe('NodeSbi: relayed calls reach the forwarder', () => {
  it('maps each relay op to the SbiForwarder and returns its result word', async () => {
    const memory = createNodeMemory({ ramBytes: 1 << 20, harts: 2 });
    const calls: string[] = [];
    const forwarder: SbiForwarder = {
      sendIpi: async (h) => { calls.push(`ipi ${h.join(',')}`); },
      remoteFence: async (h, f) => { calls.push(`${f.kind} ${h.join(',')}`); },
      hartStart: async (h, a, o) => { calls.push(`start ${h} ${a} ${o}`); return SBI_ERR_ALREADY_AVAILABLE; },
      hartStatus: async () => HSM_STOPPED,
      systemReset: async (t, r) => { calls.push(`reset ${t} ${r}`); },
      consoleWrite: async (b) => { calls.push(`out ${new TextDecoder().decode(b)}`); },
      consoleRead: async (max) => Uint8Array.from([0x78, 0x79, 0x7a].slice(0, max)),
    };
    const sbi = new NodeSbi(memory, [0], forwarder);
    const w = (req: Parameters<SbiRelay['write']>[1]): Promise<bigint> => { sbi.relay.write(0, req); return sbi.serve(0); };
    expect(await w({ op: RelayOp.Ipi, harts: 0b110n })).toBe(0n);
    expect(await w({ op: RelayOp.Fence, harts: 0b10n, fence: { kind: 'fence.i', start: 0n, size: 0n, asid: 0n } })).toBe(0n);
    expect(await w({ op: RelayOp.HartStart, hart: 1, addr: 0x8000_0000n, opaque: 9n })).toBe(BigInt.asUintN(64, BigInt(SBI_ERR_ALREADY_AVAILABLE)));
    expect(await w({ op: RelayOp.HartStatus, hart: 1 })).toBe(BigInt(HSM_STOPPED));
    expect(await w({ op: RelayOp.ConsoleWrite, bytes: new TextEncoder().encode('hi') })).toBe(2n);
    expect(await w({ op: RelayOp.ConsoleRead, max: 2 })).toBe(2n);
    expect(Array.from(sbi.relay.readData(0, 2))).toEqual([0x78, 0x79]);
    expect(await w({ op: RelayOp.Reset, type: 0, reason: 0 })).toBe(0n);
    expect(calls).toEqual(['ipi 1,2', 'fence.i 1', 'start 1 2147483648 9', 'out hi', 'reset 0 0']);
    // a forwarder failure is the guest's SBI_ERR_FAILED
    const failing = new NodeSbi(memory, [0], { ...forwarder, sendIpi: () => Promise.reject(new Error('link down')) });
    failing.relay.write(0, { op: RelayOp.Ipi, harts: 2n });
    expect(await failing.serve(0)).toBe(BigInt.asUintN(64, -1n));
  });

  it('deviceSbiForwarder: console through the UART, shutdown and reboot through the test finisher, no remote harts', async () => {
    const writes: string[] = [];
    let rx = [0x41];
    const f = deviceSbiForwarder({
      read: async (gpa) => (gpa === 0x1000_0005 ? BigInt(rx.length ? 1 : 0) : BigInt(rx.shift() ?? 0)),
      write: async (gpa, size, v) => { writes.push(`${gpa.toString(16)}/${size}=${v.toString(16)}`); },
    });
    await f.consoleWrite(Uint8Array.of(0x68, 0x69));
    expect(Array.from(await f.consoleRead(4))).toEqual([0x41]);
    await f.systemReset(0, 0);
    await f.systemReset(1, 0);
    expect(writes).toEqual(['10000000/1=68', '10000000/1=69', '100000/4=5555', '100000/4=7777']);
    await expect(f.sendIpi([1])).rejects.toThrow(/another node/);
    rx = [];
  });
});
