/**
 * Every workload on an embedded 2-node cluster (one hart per node, so all
 * sharing crosses the DSM) gives QEMU's checksum for the same hart count.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { clusterUnavailableReason, runUnum } from '../cluster/unum-runner.js';
import { qemuUnavailableReason, runQemu } from '../support/qemu.js';
import { parseResultOutput } from '../support/result-line.js';
import { TINY_WORKLOADS } from '../support/tiny-workloads.js';
import { REPO_ROOT } from './guest-paths.js';

const skipReason = qemuUnavailableReason() ?? clusterUnavailableReason();
if (skipReason) console.warn(`skipping workloads on 2 nodes: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('workloads on 2 nodes vs QEMU -smp 2', () => {
  for (const w of TINY_WORKLOADS) {
    it(`${w.name} ${w.append}`, async () => {
      const elf = path.join(REPO_ROOT, 'guest/bin', `${w.name}.elf`);
      const [qemu, unum] = await Promise.all([
        runQemu(elf, { smp: 2, memory: '128M', append: w.append, timeoutMs: 90_000 }),
        runUnum(elf, { vcpus: 2, nodes: 2, mem: '128M', append: w.append, timeoutMs: 90_000 }),
      ]);
      expect(qemu.exitCode, qemu.stdout + qemu.stderr).toBe(0);
      expect(unum.exitCode, unum.stdout + unum.stderr).toBe(0);
      const q = parseResultOutput(qemu.stdout), u = parseResultOutput(unum.stdout);
      expect(q.verified && u.verified).toBe(true);
      expect(u.harts).toBe(2);
      expect(u.checksum).toBe(q.checksum);
    }, 120_000);
  }
});
