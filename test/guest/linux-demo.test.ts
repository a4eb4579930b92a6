// `unum demo linux`: Linux on an embedded cluster of 2 agent processes, one
// vCPU each, driven over its console like a terminal. The demo tells CPU 1 to
// run tickless when busy (nohz_full, so the tick's pages stay on node 0):
// the kernel must report it, the shell must see both NUMA nodes, a pinned
// 2-thread matmul must verify, and `poweroff -f` must end the demo with 0.
import { describe, expect, it } from 'vitest';
import { UNUM_BIN, REPO } from '../machine/tools.js';
import { consoleSession, linuxGuestMissing } from '../support/linux-guest.js';

const BOOT_MS = 240_000;
const missing = linuxGuestMissing();
if (missing) console.warn(`skipping unum demo linux: ${missing} missing (guest/linux/README.md)`);

describe.skipIf(missing !== undefined)('unum demo linux', () => {
  it('2 nodes: nohz_full on CPU 1, both NUMA nodes in the shell, matmul on both CPUs, poweroff -f ends it with 0', async () => {
    const s = consoleSession(process.execPath, [UNUM_BIN, 'demo', 'linux', '--nodes', '2'], REPO);
    try {
      await s.waitFor('NO_HZ: Full dynticks CPUs: 1.', BOOT_MS);
      const shell = await s.waitFor(/^shell: busybox sh/m, BOOT_MS);   // not the echo in the kernel's command line
      expect(s.output()).toMatch(/nodes: node0: cpus 0, \d+ MB/);
      expect(s.output()).toMatch(/nodes: node1: cpus 1, \d+ MB/);
      const prompt = await s.waitFor(/[#$] $/, 60_000, shell);
      s.type('cat /sys/devices/system/cpu/nohz_full; matmul n=32 iters=1\n');
      const done = await s.waitFor(/RESULT name=matmul harts=2 .* verify=ok/, 120_000, prompt);
      expect(s.output().slice(prompt)).toMatch(/^1\r?$/m);
      s.type('poweroff -f\n');
      const { status, stderr } = await s.exited(60_000);
      expect(status, `${s.output().slice(done)}\n${stderr}`).toBe(0);
    } finally {
      s.kill();
    }
  }, BOOT_MS + 240_000);
});
