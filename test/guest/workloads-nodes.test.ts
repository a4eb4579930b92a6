/**
 * Every workload on an embedded 2-node cluster (one hart per node, so all
 * sharing crosses the DSM) gives QEMU's checksum for the same hart count.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { clusterUnavailableReason } from '../cluster/unum-runner.js';
import { expectSameResult } from '../diff/unum-runner.js';
import { qemuUnavailableReason } from '../support/qemu.js';
import { TINY_WORKLOADS } from '../support/tiny-workloads.js';
import { REPO_ROOT } from './guest-paths.js';

const skipReason = qemuUnavailableReason() ?? clusterUnavailableReason();
if (skipReason) console.warn(`skipping workloads on 2 nodes: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('workloads on 2 nodes vs QEMU -smp 2', () => {
  for (const w of TINY_WORKLOADS) {
    it(`${w.name} ${w.append}`, async () => {
      const unum = await expectSameResult(path.join(REPO_ROOT, 'guest/bin', `${w.name}.elf`),
        { smp: 2, nodes: 2, memory: '128M', append: w.append, timeoutMs: 90_000 });
      expect(unum.harts).toBe(2);
    }, 120_000);
  }
});
