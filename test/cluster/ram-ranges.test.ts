// unum presents one RAM range per node (a NUMA node each); the SDK used to
// read at most 8, so 16 nodes showed half the RAM and a working set above it
// ran out of memory. Now every range up to 64 counts. And the guest's
// out-of-memory message names unum's flag (--mem), not QEMU's -m.
import { afterAll, describe, expect, it } from 'vitest';
import { guestElf } from '../guest/guest-paths.js';
import { clusterUnavailableReason, killAllUnum, runUnum } from './unum-runner.js';

const skip = clusterUnavailableReason();
if (skip) console.warn(`skipping RAM-range tests: ${skip}`);

describe.skipIf(skip !== undefined)('RAM split over 16 nodes', () => {
  afterAll(killAllUnum);

  it('hello on 16 nodes × 1 MiB reports 16 MiB, the last byte on NUMA node 15; memscan uses 10 MiB of it', async () => {
    const sixteen = { nodes: 16, vcpus: 1, mem: '16M', timeoutMs: 200_000 };
    const [hello, memscan] = await Promise.all([
      runUnum(guestElf('hello'), sixteen),
      runUnum(guestElf('memscan'), { ...sixteen, append: 'size=10M iters=1' }),
    ]);
    expect(hello.exitCode, hello.stderr.slice(-1500)).toBe(0);
    expect(hello.stdout).toMatch(/^hello: 1 harts, 16 MiB RAM/m);
    expect(hello.stdout).toMatch(/last on numa node 15$/m);
    expect(memscan.stdout, memscan.stderr.slice(-1500)).toMatch(/^RESULT name=memscan .*size=10485760 .*verify=ok/m);
    expect(memscan.exitCode).toBe(0);
  }, 240_000);

  it('asking for more than the machine has: exit 4, and the message names --mem', async () => {
    const r = await runUnum(guestElf('memscan'), { vcpus: 1, mem: '16M', append: 'size=32M iters=1', timeoutMs: 60_000 });
    expect(r.exitCode).toBe(4);
    expect(r.stdout).toMatch(/^error: out of memory: wanted 33554432 bytes, .*give the machine more memory \(unum run --mem\)/m);
    expect(r.stdout).not.toMatch(/\(-m\)/);
  }, 90_000);
});
