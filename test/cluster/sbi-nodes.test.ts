// The built-in SBI across nodes (issue 14, docs/sbi.md "Across nodes"):
// t-sbi (guest/tests/sbi.c) through `unum run --nodes 2 --sbi builtin`, hart 1
// on the other node from hart 0. Its IPIs, remote fences, hart_start and
// hart_get_status of hart 1 travel as SbiCall messages through the
// coordinator (the default device forwarder would fail every one of them:
// "hsm: hart_start" would be WRONG). The second run is 3 nodes with the boot
// hart on node 1 (hart_start from node 1 of a hart on node 0, which holds the
// boot image; the all-harts remote_sfence_vma fans out to nodes 0 and 2) and
// times the cross-node calls (bench=N prints one line). The third goes through
// a standing cluster (`unum run --cluster --sbi builtin`, CreateVmRequest.sbi_builtin).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { guestElf } from '../guest/guest-paths.js';
import { StandingCluster } from './standing-cluster.js';
import { UNUM_BIN, clusterUnavailableReason, killAllUnum, runUnum, type UnumRunResult } from './unum-runner.js';

const skip = clusterUnavailableReason();
if (skip) console.warn(`skipping the cross-node SBI test: ${skip}`);

const CROSS_NODE_LINES = [
  'hsm: hart 1 stopped at boot: ok',
  'hsm: hart_start, hart 1 started: ok',
  'hsm: a0 = hartid, a1 = opaque, SIE off: ok',
  'hsm: start again is already available: ok',
  'ipi: to hart 1 and back: ok',
  'rfence: remote_fence_i: ok',
  'rfence: remote_sfence_vma(_asid): ok',
  'hsm: hart_stop: ok',
  't-sbi: passed (0 wrong)',
];

function expectPass(r: UnumRunResult, nodes = 2): void {
  const why = `exit ${r.exitCode}${r.timedOut ? ' (timed out)' : ''}\n${r.stdout}\n${r.stderr.slice(-2000)}`;
  expect(r.stdout, why).not.toContain('WRONG');
  for (const line of CROSS_NODE_LINES) expect(r.stdout, why).toContain(`${line}\n`);
  expect(r.exitCode, why).toBe(0);
  expect(r.stderr, why).toMatch(new RegExp(`${nodes} node\\(s\\), ${nodes} vcpu\\(s\\).*pass \\(exit 0\\)`));
}

describe.skipIf(!!skip)('built-in SBI across nodes (unum run --sbi builtin)', () => {
  afterAll(() => killAllUnum());

  it('t-sbi passes with hart 1 on node 1 (IPI, HSM start/status/stop, remote fences by message)', async () => {
    const r = await runUnum(guestElf('t-sbi'), { nodes: 2, vcpus: 2, placement: 'rr', mem: '64M', flags: ['--sbi', 'builtin'] });
    expectPass(r);
  }, 150_000);

  it('3 nodes, boot hart on node 1, hart 1 on node 0, ivy-central; bench=20 times the cross-node calls', async () => {
    const r = await runUnum(guestElf('t-sbi'), {
      nodes: 3, vcpus: 3, placement: '1,0,2', protocol: 'ivy-central', mem: '64M', flags: ['--sbi', 'builtin'], append: 'bench=20',
    });
    expectPass(r, 3);
    expect(r.stdout).toMatch(/^bench: 20 rounds: ipi round trip \d+ us, remote_fence_i \d+ us, hart_get_status \d+ us$/m);
  }, 150_000);

  it('--cluster: --sbi builtin travels in CreateVmRequest to a standing cluster\'s agents', async () => {
    const c = await StandingCluster.start({ agents: 2 });
    try {
      const r = await promisify(execFile)(process.execPath, [UNUM_BIN, 'run', guestElf('t-sbi'), '--cluster', `127.0.0.1:${c.port}`,
        '--vcpus', '2', '--mem', '64M', '--sbi', 'builtin'], { env: { ...process.env, UNUM_TOKEN: c.token }, timeout: 120_000 });
      expect(r.stdout).not.toContain('WRONG');
      for (const line of CROSS_NODE_LINES) expect(r.stdout).toContain(`${line}\n`);
    } finally {
      await c.stop();
    }
  }, 150_000);
});
