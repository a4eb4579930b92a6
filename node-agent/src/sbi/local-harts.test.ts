// The shared-memory half of the SBI: HSM table, IPIs and fences on a node's
// harts, and the worker→main-thread relay encoding (no workers needed).
import { createNodeMemory, currentEpoch, layout } from '@unum/vcpu';
import { describe, expect, it } from 'vitest';
import { HsmTable } from './hsm-table.js';
import { LocalHarts, MIP_SSIP } from './local-harts.js';
import { HSM_START_PENDING, HSM_STARTED, HSM_STOPPED, SBI_ERR_ALREADY_AVAILABLE, SBI_ERR_INVALID_PARAM } from './sbi-abi.js';
import { RelayOp, SbiRelay } from './sbi-relay.js';

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
