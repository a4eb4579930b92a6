import { describe, expect, it } from 'vitest';
import { MachineError } from '../machine-error.js';
import { checkRequest, numaLayout, placeHarts, planVm, type VmRequest } from './vm-plan.js';

const offers = (n: number, cores = 1, mem = 64 << 20) => Array.from({ length: n }, () => ({ memBytes: mem, cores }));
const req = (over: Partial<VmRequest> = {}): VmRequest => ({
  vcpus: 4, memBytes: 64 << 20, placement: 'rr', protocol: 'ivy-dynamic', unitBytes: 4096, pagePlacement: 'node0', ...over,
});

describe('vCPU placement', () => {
  it('rr, packed (by offered cores, overflow round-robin) and explicit lists', () => {
    expect(placeHarts('rr', 5, offers(2))).toEqual([0, 1, 0, 1, 0]);
    expect(placeHarts('packed', 4, [{ memBytes: 0, cores: 3 }, { memBytes: 0, cores: 1 }])).toEqual([0, 0, 0, 1]);
    expect(placeHarts('packed', 5, offers(2, 2))).toEqual([0, 0, 1, 1, 0]);
    expect(placeHarts('2,0,1,1', 4, offers(3))).toEqual([2, 0, 1, 1]);
  });

  it('bad specs are one-line MachineErrors', () => {
    expect(() => placeHarts('0,3', 2, offers(2))).toThrow(/node 3 does not exist/);
    expect(() => placeHarts('0,1', 3, offers(2))).toThrow(/2 entries for 3 vcpus/);
    expect(() => placeHarts('0,,1', 3, offers(2))).toThrow(MachineError);
  });
});

describe('VM plan checks', () => {
  it('refuses zero vCPUs, unknown variants and units, and memory beyond the offers', () => {
    expect(() => checkRequest(req({ vcpus: 0 }), 2)).toThrow(/--vcpus must be/);
    expect(() => checkRequest(req({ protocol: 'nope' }), 2)).toThrow(/unknown DSM protocol 'nope'/);
    expect(() => checkRequest(req({ unitBytes: 12288 }), 2)).toThrow(/power of two/);
    expect(() => checkRequest(req({ pagePlacement: 'random' }), 2)).toThrow(/unknown page placement/);
    expect(() => planVm(req({ memBytes: 256 << 20 }), offers(2))).toThrow(/more than the 2 node\(s\) offer \(128 MiB of memory and swap\)/);
  });

  it('initial owners follow the page placement', () => {
    const n0 = planVm(req(), offers(3));
    expect([0, 1, 2, 3].map((u) => n0.initialOwner(u))).toEqual([0, 0, 0, 0]);
    const il = planVm(req({ pagePlacement: 'interleaved' }), offers(3));
    expect([0, 1, 2, 3].map((u) => il.initialOwner(u))).toEqual([0, 1, 2, 0]);
    const ft = planVm(req({ pagePlacement: 'first-touch', protocol: 'ivy-fixed' }), offers(3));
    expect([0, 1, 2, 3].map((u) => ft.initialOwner(u))).toEqual([0, 1, 2, 0]); // ivy-fixed's home = unit mod N
  });
});

describe('NUMA layout', () => {
  it('splits RAM into one unit-aligned range per node that together cover it', () => {
    const l = numaLayout(3, [0, 1, 2], 100 << 20, 65536);
    expect(l.memory.map((m) => m.node)).toEqual([0, 1, 2]);
    expect(l.memory[0]!.base).toBe(0x8000_0000);
    for (const m of l.memory) expect(m.size % 65536).toBe(0);
    for (let i = 1; i < 3; i++) expect(l.memory[i]!.base).toBe(l.memory[i - 1]!.base + l.memory[i - 1]!.size);
    expect(l.memory.reduce((a, m) => a + m.size, 0)).toBe(100 << 20);
  });
});
