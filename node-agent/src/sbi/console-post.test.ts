// The built-in SBI's console output is posted: a hart does not wait for the
// main thread to write a line (a Linux boot hart printed ~100 lines, each a
// round trip of 1-3 ms on a loaded host); a later relayed call waits only
// until the main thread has read the posted line out of the hart's slot.
import { describe, expect, it } from 'vitest';
import { HsmTable } from './hsm-table.js';
import { RelayOp, SbiRelay, type RelayRequest } from './sbi-relay.js';
import { WorkerSbiHost } from './worker-sbi.js';

function host(relay: SbiRelay, relayPost: () => void, relayCall: () => bigint): WorkerSbiHost {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  return new WorkerSbiHost({
    hart: 0, hartCount: 1, ramBytes: 1 << 20, memory, buffer: memory.buffer as unknown as SharedArrayBuffer, localHarts: [0],
    engine: { reset: () => {}, csr: () => 0n, setCsr: () => {}, completeSbi: () => {} },
    hsm: HsmTable.create(), relay, relayPost, relayCall,
    resolvePage: () => {}, holds: () => true, readRam: (_gpa, n) => new Uint8Array(n), writeRam: () => {}, running: () => true,
  });
}

describe('SBI console output', () => {
  it('is posted: lines reach the main thread without a round trip, in order with a later call', () => {
    const relay = SbiRelay.create();
    const seen: RelayRequest[] = [];
    let calls = 0;
    const h = host(relay, () => seen.push(relay.read(0)), () => { calls++; seen.push(relay.read(0)); return 0n; });
    for (const b of new TextEncoder().encode('one\ntwo')) h.consoleWrite(Uint8Array.of(b)); // legacy putchar / write_byte
    h.consoleWrite(new TextEncoder().encode('three\n')); // DBCN write
    expect(calls).toBe(0);
    h.systemReset(0, 0); // a relayed call: flushes the held "two" first, waits for the slot, then the round trip
    expect(calls).toBe(1);
    expect(seen.map((r) => (r.op === RelayOp.ConsoleWrite ? new TextDecoder().decode(r.bytes) : RelayOp[r.op]))).toEqual(['one\n', 'two', 'three\n', 'Reset']);
  });

  it('holds the slot until the main thread has read the posted request', () => {
    const relay = SbiRelay.create();
    relay.write(0, { op: RelayOp.ConsoleWrite, bytes: Uint8Array.of(0x41) });
    relay.hold(0);
    const held = new Int32Array(relay.buffer, 56, 1); // the slot's held word
    expect(Atomics.load(held, 0)).toBe(1);
    expect(relay.read(0)).toEqual({ op: RelayOp.ConsoleWrite, bytes: Uint8Array.of(0x41) });
    expect(Atomics.load(held, 0)).toBe(0);
    relay.awaitFree(0); // freed by the read: returns at once
  });
});
