// `unum run --nodes N --stats FILE.json`: the per-node summary on stderr and
// the same numbers as JSON; and one guest (matmul, whose checksum depends on
// the data only) giving the same RESULT on 1, 2 and 3 nodes.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseResultOutput } from '../support/result-line.js';
import { guestElf } from '../guest/guest-paths.js';
import { killAllUnum, runUnum } from './unum-runner.js';
import { UNUM_BIN } from './unum-runner.js';
import { spawnSync } from 'node:child_process';

const dir = mkdtempSync(join(tmpdir(), 'unum-stats-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cluster statistics and same result on 1, 2, 3 nodes', () => {
  afterAll(killAllUnum);

  it('--stats writes per-node DSM counters that match the stderr summary', () => {
    const file = join(dir, 'run.json');
    const r = spawnSync(process.execPath, [UNUM_BIN, 'run', guestElf('matmul'), '--nodes', '2', '--vcpus', '2', '--mem', '64M',
      '--protocol', 'ivy-fixed', '--unit', '8K', '--stats', file, '--', 'n=48', 'iters=1'], { encoding: 'utf8', timeout: 120_000, input: '' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^RESULT name=matmul /m);
    const s = JSON.parse(readFileSync(file, 'utf8'));
    expect(s).toMatchObject({ nodes: 2, vcpus: 2, protocol: 'ivy-fixed', unitBytes: 8192, pagePlacement: 'node0', hartNode: [0, 1],
      outcome: 'pass', exitCode: 0 });
    expect(s.wallMs).toBeGreaterThan(0);
    expect(s.perNode).toHaveLength(2);
    for (const [i, n] of s.perNode.entries()) {
      expect(n.node).toBe(i);
      expect(n.name).toBe(`node${i}`);
      expect(n.harts).toEqual([i]);
      expect(BigInt(n.instret[String(i)])).toBeGreaterThan(0n);
      expect(n.dsm.protocol).toBe('ivy-fixed');
      expect(n.dsm.unitBytes).toBe(8192);
      expect(n.framesUsed).toBeGreaterThan(0);
    }
    // node 1 starts with nothing: it must have faulted pages in from node 0, and every page byte it got was sent
    const [n0, n1] = s.perNode;
    expect(n1.dsm.readFaults + n1.dsm.writeFaults).toBeGreaterThan(0);
    const sentBytes = (n: { dsm: { messagesSent: Record<string, { bytes: number }> } }): number =>
      Object.values(n.dsm.messagesSent).reduce((a, m) => a + m.bytes, 0);
    const gotBytes = (n: { dsm: { messagesReceived: Record<string, { bytes: number }> } }): number =>
      Object.values(n.dsm.messagesReceived).reduce((a, m) => a + m.bytes, 0);
    expect(gotBytes(n1)).toBe(sentBytes(n0));
    expect(gotBytes(n0)).toBe(sentBytes(n1));
    expect(n0.bootUnits).toBeGreaterThan(0); // node0 placement: the image was loaded on node 0
    expect(n1.bootUnits).toBe(0);
    expect(s.totals.readFaults).toBe(n0.dsm.readFaults + n1.dsm.readFaults);
    // the stderr table carries the same counters
    const row = r.stderr.split('\n').find((l) => /^\s+1\s+node1\s/.test(l))!;
    expect(row).toBeDefined();
    expect(row.trim().split(/\s+/).slice(4, 6).map(Number)).toEqual([n1.dsm.readFaults, n1.dsm.writeFaults]);
  }, 150_000);

  it('matmul prints the same checksum with --nodes 1, 2 and 3 (3 vcpus)', async () => {
    const results: string[] = [];
    for (const nodes of [1, 2, 3]) {
      const r = await runUnum(guestElf('matmul'), { nodes, vcpus: 3, protocol: 'ivy-dynamic', mem: '64M', append: 'n=48 iters=1', timeoutMs: 120_000 });
      expect(r.exitCode, r.stderr).toBe(0);
      const line = parseResultOutput(r.stdout);
      expect(line.fields.verify).toBe('ok');
      results.push(`${line.fields.harts} ${line.fields.checksum}`);
    }
    expect(new Set(results).size).toBe(1);
  }, 400_000);
});
