// The cluster secret: a client or agent without it is refused by the
// coordinator's API and Join stream, and a DSM peer without it is refused on
// the agent-to-agent links (real gRPC on 127.0.0.1).
import { randomBytes } from 'node:crypto';
import { GrpcTransport } from '@unum/dsm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StandingCluster, killGroup, startProc } from './standing-cluster.js';

describe('cluster authentication', () => {
  let c: StandingCluster;
  beforeAll(async () => { c = await StandingCluster.start({ agents: 1 }); }, 60_000);
  afterAll(async () => { await c?.stop(); }, 30_000);

  it('the coordinator API refuses a client with a wrong or missing secret', async () => {
    const wrong = StandingCluster.client(c.port, 'not-the-secret');
    await expect(c.call('status', {}, wrong)).rejects.toMatchObject({ code: 16 }); // UNAUTHENTICATED
    await expect(c.call('createVm', { vcpus: 1, memBytes: 1 << 20 }, wrong)).rejects.toMatchObject({ code: 16 });
    wrong.close();
    const ok = await c.call<{ members: unknown[] }>('status', {});
    expect(ok.members).toHaveLength(1);
  });

  it('an agent with the wrong secret is refused, says so, exits 1, and never becomes a member', async () => {
    const bad = startProc(['agent', '--join', `127.0.0.1:${c.port}`, '--listen', '127.0.0.1:0', '--node-mem', '16M', '--name', 'intruder'],
      { UNUM_TOKEN: 'wrong-secret-123' });
    const timer = setTimeout(() => killGroup(bad), 20_000);
    expect(await bad.exited).toBe(1);
    clearTimeout(timer);
    expect(bad.stderr).toContain('refused this agent: bad or missing cluster secret');
    const s = await c.call<{ members: Array<{ name: string }> }>('status', {});
    expect(s.members.map((m) => m.name)).toEqual(['a0']);
  }, 30_000);

  it('`unum health` answers with the secret and fails without it', async () => {
    const good = startProc(['health', `127.0.0.1:${c.port}`], { UNUM_TOKEN: c.token });
    expect(await good.exited).toBe(0);
    const bad = startProc(['health', `127.0.0.1:${c.port}`], { UNUM_TOKEN: 'wrong-secret-123' });
    expect(await bad.exited).toBe(1);
    expect(bad.stderr).toContain('bad or missing cluster secret');
  }, 30_000);

  it('a DSM peer with the wrong secret is refused on the link and nothing reaches the DSM', async () => {
    const secret = randomBytes(16).toString('hex');
    const a = await GrpcTransport.start({ self: 0, nodes: 2, secret, cluster: 'vm1' });
    const intruder = await GrpcTransport.start({ self: 1, nodes: 2, secret: 'wrong-secret-123', cluster: 'vm1' });
    const delivered: unknown[] = [];
    a.onMessage((from, m) => delivered.push([from, m]));
    intruder.onMessage((from, m) => delivered.push([from, m]));
    try {
      a.connect({ 1: `127.0.0.1:${intruder.port}` }); // node 0 dials node 1
      intruder.send(0, { type: 'ack', unit: 0, version: 0 });
      const until = Date.now() + 5000;
      while (a.rejected() + intruder.rejected() === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(a.rejected() + intruder.rejected()).toBeGreaterThan(0);
      expect(delivered).toEqual([]);
    } finally {
      await a.close();
      await intruder.close();
    }
  }, 30_000);
});
