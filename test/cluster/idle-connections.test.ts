// Idle connections (hardening issue, item 9): sockets that connect to a gRPC
// port and never say a byte used to be held for ever (500 were all accepted).
// Now every unum gRPC port (coordinator, agent, DSM link) closes a silent
// peer after 5 s, turns away more than 64 waiting at once, and a real client
// still gets through.
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { pino } from 'pino';
import { CoordinatorServer } from '@unum/coordinator';
import { GrpcTransport } from '@unum/dsm';
import { CHANNEL_OPTIONS, runAgent, withToken } from '@unum/node-agent';
import { HealthClient } from '@unum/protos/cluster';
import { describe, expect, it } from 'vitest';

const PER_PORT = 100;
const BOUND_MS = 12_000; // firstByteMs (5 s) + slack for a loaded machine

function idle(port: number, n: number): { open: () => number; destroy: () => void } {
  const socks = Array.from({ length: n }, () => net.connect(port, '127.0.0.1').on('error', () => undefined));
  let closed = 0;
  for (const s of socks) s.on('close', () => { closed++; });
  return { open: () => n - closed, destroy: () => { for (const s of socks) s.destroy(); } };
}

const health = (port: number, token: string): Promise<string> => {
  const c = new HealthClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), { ...CHANNEL_OPTIONS, interceptors: [withToken(token)] });
  return new Promise<string>((res, rej) => c.check({}, { deadline: Date.now() + 10_000 }, (e, r) => (e ? rej(e) : res(r!.role))))
    .finally(() => c.close());
};

describe('idle connections', () => {
  it(`coordinator, agent and DSM link ports close ${PER_PORT} silent sockets each within ${BOUND_MS / 1000} s; real calls still work`, async () => {
    const token = randomBytes(16).toString('hex');
    const logger = pino({ level: 'silent' });
    const coord = await CoordinatorServer.start({ listen: '127.0.0.1:0', token, logger });
    let stopAgent!: (why: string) => void;
    const agent = runAgent({ join: `127.0.0.1:${coord.port}`, listen: '127.0.0.1:0', name: 'a0', nodeMemBytes: 16 << 20, cores: 1, linkLatencyNs: 0 },
      { token, logger, shutdown: new Promise((r) => { stopAgent = r; }) });
    const dsm = await GrpcTransport.start({ self: 0, nodes: 2, secret: token });
    const floods: Array<ReturnType<typeof idle>> = [];
    try {
      const [member] = await coord.waitForMembers(1, 20_000);
      const agentPort = Number(member!.hello.advertise.split(':').pop());
      floods.push(idle(coord.port, PER_PORT), idle(agentPort, PER_PORT), idle(dsm.port, PER_PORT));
      const t0 = Date.now();
      while (floods.some((f) => f.open() > 0) && Date.now() - t0 < BOUND_MS + 5000) await new Promise((r) => setTimeout(r, 100));
      const took = Date.now() - t0;
      expect(floods.map((f) => f.open())).toEqual([0, 0, 0]);
      expect(took).toBeLessThan(BOUND_MS);
      expect(await health(coord.port, token)).toBe('coordinator');
      expect(await health(Number(member!.hello.advertise.split(':').pop()), token)).toBe('agent');
      expect(coord.members.size).toBe(1); // the agent's Join stream was not disturbed
    } finally {
      for (const f of floods) f.destroy();
      stopAgent('test over');
      await agent;
      await dsm.close();
      await coord.close();
    }
  });
});
