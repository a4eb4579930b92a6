/**
 * `unum agent`: a node agent process. Serves Health on --listen, joins the
 * coordinator over one authenticated control stream (hello with its memory
 * and cores, heartbeats every 250 ms), syncs its clock, and runs its share
 * of each VM the coordinator sets up on it (VmNode). It exits when the
 * coordinator's stream ends or fails, so a lost coordinator never leaves an
 * agent behind.
 *
 * @example
 *   const status = await runAgent({ join: '127.0.0.1:7700', listen: '127.0.0.1:7701', nodeMem: 512 << 20,
 *     cores: 1, name: 'a1', token, logger });
 */
import { hostname } from 'node:os';
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { authorized, refusal, withToken } from './cluster-secret.js';
import { CHANNEL_OPTIONS, clusterProto } from './cluster-proto.js';
import { bootId, estimateOffset, type PingSample } from './clock-sync.js';
import { toNum, type AgentMessage, type CoordinatorMessage } from './messages.js';
import { VmNode } from './vm-node.js';
import type { NodeMemoryConfig } from '../eviction/node-memory.js';

export interface AgentOptions {
  join: string;
  listen: string;
  advertise?: string;
  nodeMem: number;
  cores: number;
  name: string;
  token: string;
  logger: Logger;
  /** Swap behind the frame pool (--swap-size, --swap-dir, --swap-device). */
  memory?: NodeMemoryConfig;
  /** One-way latency added to each DSM link (ns, --link-latency). */
  linkLatencyNs?: number;
  /** Resolves when the agent should go away (e.g. its parent process died). */
  shutdown?: Promise<string>;
}

const HEARTBEAT_MS = 250;
const CLOCK_PINGS = 8;

const hostOf = (addr: string): string => addr.slice(0, addr.lastIndexOf(':')).replace(/^\[|\]$/g, '');

export async function runAgent(o: AgentOptions): Promise<number> {
  const proto = clusterProto();
  const server = new grpc.Server(CHANNEL_OPTIONS);
  server.addService(proto.Health.service, {
    check: (call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) =>
      authorized(call.metadata, o.token) ? cb(null, { role: 'agent', name: o.name }) : cb(refusal()),
  });
  const port = await new Promise<number>((res, rej) =>
    server.bindAsync(o.listen, grpc.ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))));
  const listenHost = hostOf(o.listen);
  const advertise = o.advertise ?? `${listenHost === '0.0.0.0' || listenHost === '::' ? hostname() : listenHost}:${port}`;

  const client = new proto.Cluster(o.join, grpc.credentials.createInsecure(), { ...CHANNEL_OPTIONS, interceptors: [withToken(o.token)] });
  const stream = (client as unknown as { join(): grpc.ClientDuplexStream<AgentMessage, CoordinatorMessage> }).join();
  const send = (m: AgentMessage): void => {
    if (!ended) stream.write(m);
  };
  let ended = false;
  let vm: VmNode | undefined;
  let offsetNs = 0n;
  let coordinatorBootId = '';
  let chain: Promise<void> = Promise.resolve();
  const pongs = new Map<number, (remoteNs: bigint) => void>();
  const log = o.logger.child({ agent: o.name });

  /** Control messages run one at a time, in order; replies and interrupts do not wait behind them. */
  const serial = (seq: number, task: () => Promise<Partial<{ address: string }> | void>): void => {
    chain = chain.then(task).then(
      (extra) => send({ ack: { seq, ...(extra ?? {}) } }),
      (e: unknown) => send({ ack: { seq, error: e instanceof Error ? e.message : String(e) } }),
    );
  };

  const syncClock = async (): Promise<void> => {
    if (coordinatorBootId !== '' && coordinatorBootId === bootId()) return; // one host: one CLOCK_MONOTONIC
    const samples: PingSample[] = [];
    for (let seq = 1; seq <= CLOCK_PINGS; seq++) {
      const sentNs = process.hrtime.bigint();
      const remoteNs = await new Promise<bigint>((resolve) => {
        pongs.set(seq, resolve);
        send({ clockPing: { seq } });
      });
      samples.push({ sentNs, receivedNs: process.hrtime.bigint(), remoteNs });
    }
    const est = estimateOffset(samples);
    offsetNs = est.offsetNs;
    log.info({ offsetNs: String(est.offsetNs), errorNs: String(est.errorNs) }, 'clock offset to coordinator');
  };

  const onMessage = (m: CoordinatorMessage): void => {
    switch (m.kind) {
      case 'welcome':
        coordinatorBootId = m.welcome.bootId;
        chain = chain.then(syncClock);
        return;
      case 'clockPong':
        pongs.get(m.clockPong.seq)?.(BigInt(m.clockPong.coordinatorNs));
        pongs.delete(m.clockPong.seq);
        return;
      case 'mmioReply':
        return vm?.mmioReply(m.mmioReply.id, m.mmioReply.value);
      case 'irq':
        return vm?.irq(m.irq.hart, m.irq.pin, m.irq.level);
      case 'clint': {
        const value = vm?.clintAccess(m.clint) ?? 0n;
        if (m.clint.id !== 0) send({ clintReply: { id: m.clint.id, value: value.toString() } });
        return;
      }
      case 'setup':
        return serial(m.setup.seq, async () => {
          if (vm) await vm.close('replaced by a new VM');
          vm = await VmNode.create(m.setup, {
            name: o.name, token: o.token, dsmListenHost: listenHost, advertiseHost: hostOf(advertise),
            clockOffsetNs: offsetNs, send, logger: log, memory: o.memory, linkLatencyNs: o.linkLatencyNs,
          });
          return { address: vm.address };
        });
      case 'peers':
        return serial(m.peers.seq, async () => vm?.connect(m.peers.peers ?? []));
      case 'load':
        return serial(m.load.seq, async () => vm?.load(toNum(m.load.gpa), m.load.data));
      case 'start':
        return serial(m.start.seq, async () => vm?.start(toNum(m.start.pc), toNum(m.start.a1), (e) => {
          if (e) send({ failure: { message: e.message } });
          send({ halted: {} });
        }));
      case 'control':
        return serial(m.control.seq, async () => {
          if (m.control.op === 'PAUSE') await vm?.pause();
          else if (m.control.op === 'RESUME') vm?.resume();
          else await vm?.stop();
        });
      case 'reportRequest':
        return serial(m.reportRequest.seq, async () => {
          if (vm) send({ report: { seq: m.reportRequest.seq, json: JSON.stringify(vm.report()) } });
        });
      case 'step': {
        // not behind control messages: the driver's steps are its own sequence, and a quantum may wait on MMIO replies
        const st = m.step;
        if (!vm) return send({ ack: { seq: st.seq, error: 'no VM' } });
        vm.step(st).then(
          (step) => send({ ack: { seq: st.seq, step } }),
          (e: unknown) => send({ ack: { seq: st.seq, error: e instanceof Error ? e.message : String(e) } }),
        );
        return;
      }
      case 'telemetryRequest': {
        // answered at once (not behind control messages): observation must not wait for a pause
        const q = m.telemetryRequest;
        if (!vm) return;
        const t = vm.telemetry({ cells: q.cells, inspect: q.inspect ?? -1 });
        send({ telemetry: { seq: q.seq, json: JSON.stringify(t.sample), owned: t.owned, faults: t.faults } });
        return;
      }
      case 'teardown':
        chain = chain.then(async () => {
          await vm?.close('VM torn down');
          vm = undefined;
        });
        return;
      default:
        log.warn({ kind: m.kind }, 'ignored unknown coordinator message');
    }
  };

  return new Promise<number>((resolve) => {
    const heartbeat = setInterval(() => send({ heartbeat: {} }), HEARTBEAT_MS);
    const finish = (status: number, line?: string): void => {
      if (ended) return;
      ended = true;
      clearInterval(heartbeat);
      if (line) process.stderr.write(`unum: agent ${o.name}: ${line}\n`);
      stream.cancel();
      const closing = vm?.close('coordinator gone') ?? Promise.resolve();
      void closing.catch(() => undefined).finally(() => {
        client.close();
        server.forceShutdown();
        resolve(status);
      });
    };
    stream.on('data', onMessage);
    stream.on('error', (e: grpc.ServiceError) => {
      if (e.code === grpc.status.UNAUTHENTICATED) finish(1, `coordinator at ${o.join} refused this agent: bad or missing cluster secret`);
      else if (e.code === grpc.status.UNAVAILABLE) finish(1, `coordinator at ${o.join} unreachable or gone (${e.details})`);
      else if (e.code !== grpc.status.CANCELLED) finish(1, `coordinator stream failed: ${e.details || e.message}`);
      else finish(0);
    });
    stream.on('end', () => finish(0));
    void o.shutdown?.then((why) => finish(0, why));
    send({ hello: { name: o.name, advertise, memBytes: o.nodeMem, cores: o.cores, bootId: bootId(), pid: process.pid, swapBytes: o.memory?.swapBytes ?? 0 } });
  });
}
