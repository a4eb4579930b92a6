/**
 * `unum agent`: a node agent process. Serves Health on its listen address,
 * joins the coordinator over one authenticated Join stream (hello with its
 * memory and cores, heartbeats every 250 ms), and hands every coordinator
 * message to its AgentSession, which runs the node's share of each VM. It
 * exits when the coordinator's stream ends or fails, so a lost coordinator
 * never leaves an agent behind.
 *
 * @example
 *   const status = await runAgent({ join: '127.0.0.1:7700', listen: '127.0.0.1:7701', name: 'a1',
 *     nodeMemBytes: 512 << 20, cores: 1, linkLatencyNs: 0 }, { token, logger });
 */
import { hostname } from 'node:os';
import * as grpc from '@grpc/grpc-js';
import { ClusterClient, HealthService, type AgentMessage, type CoordinatorMessage } from '@unum/protos/cluster';
import type { Logger } from 'pino';
import { GUARDED_SERVER_OPTIONS, listenGuarded } from '@unum/dsm';
import { AgentSession } from './agent-session.js';
import type { AgentSpec } from './agent-spec.js';
import { bootId } from './clock-sync.js';
import { CHANNEL_OPTIONS } from './channel-options.js';
import { authorized, refusal, withToken } from './cluster-secret.js';
import { agentMessage } from './wire.js';

export interface AgentRunContext {
  token: string;
  logger: Logger;
  /** Resolves when the agent should go away (e.g. its parent process died). */
  shutdown?: Promise<string>;
}

const HEARTBEAT_MS = 250;

const hostOf = (addr: string): string => addr.slice(0, addr.lastIndexOf(':')).replace(/^\[|\]$/g, '');

export async function runAgent(spec: AgentSpec, o: AgentRunContext): Promise<number> {
  const server = new grpc.Server({ ...CHANNEL_OPTIONS, ...GUARDED_SERVER_OPTIONS });
  server.addService(HealthService, {
    check: (call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) =>
      authorized(call.metadata, o.token) ? cb(null, { role: 'agent', name: spec.name }) : cb(refusal()),
  });
  const door = await listenGuarded(server, spec.listen); // silent peers are closed, not held
  const { port } = door;
  const listenHost = hostOf(spec.listen);
  const advertise = spec.advertise ?? `${listenHost === '0.0.0.0' || listenHost === '::' ? hostname() : listenHost}:${port}`;

  const client = new ClusterClient(spec.join, grpc.credentials.createInsecure(), { ...CHANNEL_OPTIONS, interceptors: [withToken(o.token)] });
  const stream: grpc.ClientDuplexStream<AgentMessage, CoordinatorMessage> = client.join();
  let ended = false;
  const send = (m: AgentMessage): void => {
    if (!ended) stream.write(m);
  };
  const session = new AgentSession({
    name: spec.name, token: o.token, dsmListenHost: listenHost, advertiseHost: hostOf(advertise),
    logger: o.logger.child({ agent: spec.name }), memory: spec.memory, linkLatencyNs: spec.linkLatencyNs,
  }, send);

  return new Promise<number>((resolve) => {
    const heartbeat = setInterval(() => send(agentMessage('heartbeat', {})), HEARTBEAT_MS);
    const finish = (status: number, line?: string): void => {
      if (ended) return;
      ended = true;
      clearInterval(heartbeat);
      if (line) process.stderr.write(`unum: agent ${spec.name}: ${line}\n`);
      stream.cancel();
      void session.close('coordinator gone').catch(() => undefined).finally(() => {
        client.close();
        door.close();
        server.forceShutdown();
        resolve(status);
      });
    };
    stream.on('data', (m: CoordinatorMessage) => {
      if (m.kind?.$case === 'probe') return send(agentMessage('heartbeat', {})); // the coordinator suspects us: answer now
      session.receive(m);
    });
    stream.on('error', (e: grpc.ServiceError) => {
      if (e.code === grpc.status.UNAUTHENTICATED) finish(1, `coordinator at ${spec.join} refused this agent: bad or missing cluster secret`);
      else if (e.code === grpc.status.UNAVAILABLE) finish(1, `coordinator at ${spec.join} unreachable or gone (${e.details})`);
      else if (e.code !== grpc.status.CANCELLED) finish(1, `coordinator stream failed: ${e.details || e.message}`);
      else finish(0);
    });
    stream.on('end', () => finish(0));
    void o.shutdown?.then((why) => finish(0, why));
    send(agentMessage('hello', {
      name: spec.name, advertise, memBytes: BigInt(spec.nodeMemBytes), cores: spec.cores, bootId: bootId(), pid: process.pid,
      swapBytes: BigInt(spec.memory?.swapBytes ?? 0),
    }));
  });
}
