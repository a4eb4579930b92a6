// One rule for bad input (hardening item 7): one line on stderr and exit 2,
// before anything starts — for an address that cannot be listened on, a port
// out of range, a wrong or missing cluster secret, and a --stats file that
// could not be written at the end of the run.
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guestElf } from '../guest/guest-paths.js';
import { StandingCluster } from './standing-cluster.js';
import { UNUM_BIN, clusterUnavailableReason } from './unum-runner.js';

const skip = clusterUnavailableReason();
if (skip) console.warn(`skipping the bad-input rule tests: ${skip}`);

const unum = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [UNUM_BIN, ...args], { encoding: 'utf8', timeout: 60_000, input: '', env: { ...process.env, ...env } });

const oneLine = (r: { status: number | null; stderr: string }, line: RegExp): void => {
  expect(r.status, r.stderr).toBe(2);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(line);
};

describe.skipIf(skip !== undefined)('bad input is one line and exit 2', () => {
  let busy: Server;
  let c: StandingCluster;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    c = await StandingCluster.start({ agents: 0 });
  }, 60_000);
  afterAll(async () => {
    busy?.close();
    await c?.stop();
  }, 30_000);

  it('a listen address already in use', () => {
    const port = (busy.address() as { port: number }).port;
    oneLine(unum(['coordinator', '--listen', `127.0.0.1:${port}`], { UNUM_TOKEN: 'a-long-enough-secret' }),
      new RegExp(`^unum: cannot listen on 127\\.0\\.0\\.1:${port}: address already in use\\n$`));
  });

  it('a port out of range', () => {
    oneLine(unum(['run', guestElf('hello'), '--cluster', '127.0.0.1:99999'], { UNUM_TOKEN: 'a-long-enough-secret' }),
      /^unum: bad --cluster '127\.0\.0\.1:99999': port 99999 is above 65535\n$/);
  });

  it('a wrong secret and a missing one, the same way', () => {
    const at = `127.0.0.1:${c.port}`;
    oneLine(unum(['run', guestElf('hello'), '--cluster', at], { UNUM_TOKEN: 'not-the-cluster-secret' }), /^unum: refused: bad or missing cluster secret\n$/);
    oneLine(unum(['run', guestElf('hello'), '--cluster', at], { UNUM_TOKEN: '' }), /^unum: no cluster secret: set UNUM_TOKEN or pass --token-file FILE\n$/);
  }, 60_000);

  it('a --stats file that cannot be written, before the run', () => {
    const r = unum(['run', guestElf('hello'), '--stats', '/nonexistent-unum-dir/stats.json']);
    oneLine(r, /^unum: cannot write --stats \/nonexistent-unum-dir\/stats\.json: ENOENT\n$/);
    expect(r.stdout).toBe(''); // the guest never ran
  });
});
