/**
 * The coordinator's gRPC server (protos/cluster.proto): agents Join over one
 * stream each (membership, heartbeats watched every 200 ms, clock pings);
 * clients create and drive VMs. Every call must carry the cluster secret.
 *
 * @example
 *   const coord = await CoordinatorServer.start({ listen: '127.0.0.1:7700', token, logger });
 *   const members = await coord.waitForMembers(2, 10_000);
 *   const vm = await coord.createVm({ elf, request, bootargs: '', console });
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import * as grpc from '@grpc/grpc-js';
import {
  authorized, bootId, CHANNEL_OPTIONS, clusterProto, refusal, type AgentMessage, type CoordinatorMessage, type Hello,
} from '@unum/node-agent';
import type { Logger } from 'pino';
import type { ConsolePort } from '../devices/device.js';
import { ElfError } from '../elf.js';
import { MachineError } from '../machine-error.js';
import { ClusterVm } from './cluster-vm.js';
import { ConsoleHub } from './console-hub.js';
import { Member, type MemberStream } from './member.js';
import { checkRequest, planVm, wireKnobs, type VmRequest } from './vm-plan.js';

export interface CoordinatorOptions {
  listen: string;
  token: string;
  logger: Logger;
}

export interface CreateVm {
  elf: Uint8Array;
  request: VmRequest;
  /** Use this many idle members (default: all idle ones), in join order. */
  nodes?: number;
  /** Exactly these members, node i = members[i] (the embedded cluster's agents). */
  members?: Member[];
  bootargs: string;
  console?: ConsolePort;
}

const WATCHDOG_MS = 200;
const HELLO_TIMEOUT_MS = 5000;

type Unary<Req, Res> = (call: grpc.ServerUnaryCall<Req, Res>, cb: grpc.sendUnaryData<Res>) => void;

export class CoordinatorServer {
  readonly members = new Map<number, Member>();
  readonly vms = new Map<string, ClusterVm>();
  private readonly consoles = new Map<string, ConsoleHub>();
  private nextMemberId = 1;
  private readonly server = new grpc.Server(CHANNEL_OPTIONS);
  private readonly watchdog: NodeJS.Timeout;
  private readonly joinWaiters = new Set<() => void>();
  port = 0;

  private constructor(private readonly o: CoordinatorOptions) {
    this.watchdog = setInterval(() => {
      const now = performance.now();
      for (const m of this.members.values()) m.checkHeartbeat(now);
    }, WATCHDOG_MS);
  }

  static async start(o: CoordinatorOptions): Promise<CoordinatorServer> {
    const c = new CoordinatorServer(o);
    const proto = clusterProto();
    c.server.addService(proto.Health.service, {
      check: c.unary(async () => ({ role: 'coordinator', name: hostname() })),
    });
    c.server.addService(proto.Cluster.service, {
      join: (call: MemberStream) => c.join(call),
      status: c.unary(async () => c.status()),
      createVm: c.unary(async (r: Record<string, unknown>) => c.info(await c.createFromRequest(r))),
      startVm: c.unary(async (r: { vmId: string }) => { const vm = c.vm(r.vmId); await vm.start(); return c.info(vm); }),
      pauseVm: c.unary(async (r: { vmId: string }) => { const vm = c.vm(r.vmId); await vm.pause(); return c.info(vm); }),
      resumeVm: c.unary(async (r: { vmId: string }) => { const vm = c.vm(r.vmId); await vm.resume(); return c.info(vm); }),
      stopVm: c.unary(async (r: { vmId: string }) => {
        const vm = c.vm(r.vmId);
        vm.stop('stopped through the API');
        await vm.done;
        return c.info(vm);
      }),
      watchVm: (call: grpc.ServerWritableStream<{ vmId: string }, unknown>) => c.watch(call),
      consoleInput: c.unary(async (r: { vmId: string; data: Uint8Array }) => {
        const hub = c.consoles.get(r.vmId);
        if (!hub) throw new MachineError('bad-config', `no VM ${r.vmId}`);
        hub.input(r.data);
        return {};
      }),
    });
    c.port = await new Promise<number>((res, rej) =>
      c.server.bindAsync(o.listen, grpc.ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))));
    return c;
  }

  /** A unary handler: authenticate, run, map bad input to INVALID_ARGUMENT and the rest to INTERNAL. */
  private unary<Req, Res>(fn: (req: Req) => Promise<Res>): Unary<Req, Res> {
    return (call, cb) => {
      if (!authorized(call.metadata, this.o.token)) return cb(refusal());
      fn(call.request).then((res) => cb(null, res), (e: unknown) => {
        const input = e instanceof MachineError || e instanceof ElfError;
        const msg = e instanceof Error ? e.message : String(e);
        cb({ code: input ? grpc.status.INVALID_ARGUMENT : grpc.status.INTERNAL, details: msg });
      });
    };
  }

  // ---- agents ---------------------------------------------------------------

  private join(call: MemberStream): void {
    if (!authorized(call.metadata, this.o.token)) {
      this.o.logger.warn({ peer: call.getPeer() }, 'refused an agent: bad or missing cluster secret');
      call.emit('error', refusal());
      return;
    }
    let member: Member | undefined;
    const helloTimer = setTimeout(() => !member && call.end(), HELLO_TIMEOUT_MS);
    const gone = (why: string): void => {
      clearTimeout(helloTimer);
      if (!member) return;
      this.members.delete(member.id);
      member.lose(why);
    };
    call.on('data', (m: AgentMessage) => {
      if (m.kind === 'clockPing') {
        call.write({ clockPong: { seq: m.clockPing.seq, coordinatorNs: process.hrtime.bigint().toString() } } as CoordinatorMessage);
        return;
      }
      if (member) return member.receive(m);
      if (m.kind !== 'hello') return;
      clearTimeout(helloTimer);
      member = this.admit(m.hello, call);
    });
    call.on('end', () => gone('its stream ended'));
    call.on('error', (e: grpc.ServiceError) => gone(`stream failed (${e.details || e.message})`));
    call.on('cancelled', () => gone('connection lost'));
    call.on('close', () => gone('connection closed'));
  }

  private admit(hello: Hello, call: MemberStream): Member {
    const m = new Member(this.nextMemberId++, hello, call);
    this.members.set(m.id, m);
    m.send({ welcome: { memberId: m.id, bootId: bootId() } });
    this.o.logger.info({ member: m.id, name: hello.name, advertise: hello.advertise }, 'agent joined');
    for (const w of this.joinWaiters) w();
    return m;
  }

  /** Resolves with `n` idle members once they have joined; rejects after `timeoutMs` or when `abort` fires. */
  waitForMembers(n: number, timeoutMs: number, abort?: Promise<string>): Promise<Member[]> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const idle = this.idle();
        if (idle.length >= n) { done(); resolve(idle.slice(0, n)); }
      };
      const timer = setTimeout(() => { done(); reject(new Error(`only ${this.idle().length} of ${n} agents joined within ${timeoutMs / 1000} s`)); }, timeoutMs);
      const done = (): void => { clearTimeout(timer); this.joinWaiters.delete(check); };
      void abort?.then((why) => { done(); reject(new Error(why)); });
      this.joinWaiters.add(check);
      check();
    });
  }

  private idle(): Member[] {
    return [...this.members.values()].filter((m) => !m.vmId && !m.lostReason).sort((a, b) => a.id - b.id);
  }

  // ---- VMs -------------------------------------------------------------------

  async createVm(c: CreateVm): Promise<ClusterVm> {
    checkRequest(c.request, c.members?.length ?? c.nodes); // bad input first, whatever the cluster looks like
    const idle = this.idle();
    const members = c.members ?? (c.nodes ? idle.slice(0, c.nodes) : idle);
    if (members.length === 0 || (c.nodes && members.length < c.nodes)) {
      throw new MachineError('bad-config', `need ${c.nodes ?? 1} idle agent(s), have ${idle.length}`);
    }
    const plan = planVm(c.request, members.map((m) => ({ memBytes: m.memBytes, cores: m.cores, swapBytes: m.swapBytes })));
    const id = randomUUID().slice(0, 8);
    const hub = c.console ? undefined : new ConsoleHub();
    if (hub) this.consoles.set(id, hub);
    const vm = await ClusterVm.create({
      id, plan, members, elf: c.elf, bootargs: c.bootargs, console: c.console ?? hub!, logger: this.o.logger,
    });
    this.vms.set(id, vm);
    void vm.done.then(() => setTimeout(() => this.consoles.delete(id), 60_000));
    return vm;
  }

  private createFromRequest(r: Record<string, unknown>): Promise<ClusterVm> {
    return this.createVm({
      elf: r.elf as Uint8Array,
      request: {
        vcpus: Number(r.vcpus), memBytes: Number(r.memBytes), placement: String(r.placement || 'rr'),
        protocol: String(r.protocol || 'ivy-dynamic'), unitBytes: Number(r.unitBytes) || 4096,
        pagePlacement: String(r.pagePlacement || 'node0'), knobs: wireKnobs(String(r.protocol || 'ivy-dynamic'), r.knobs),
        quantum: Number(r.quantum) || undefined,
      },
      nodes: Number(r.nodes) || undefined,
      bootargs: String(r.bootargs ?? ''),
    });
  }

  private vm(id: string): ClusterVm {
    const vm = this.vms.get(id);
    if (!vm) throw new MachineError('bad-config', `no VM ${id}`);
    return vm;
  }

  private info(vm: ClusterVm, exit?: { exitCode: number; reason: string }): Record<string, unknown> {
    return {
      vmId: vm.id, state: vm.state, vcpus: vm.plan.vcpus, memBytes: vm.plan.memBytes, hartNode: vm.plan.hartNode,
      nodeNames: vm.members.map((m) => m.name), exitCode: exit?.exitCode ?? 0, reason: exit?.reason ?? '',
    };
  }

  /** The console of a VM created through the API (the dashboard's window onto it). */
  consoleOf(vmId: string): ConsoleHub | undefined {
    return this.consoles.get(vmId);
  }

  /** Members and VMs (the Status RPC and the dashboard's JSON). */
  statusJson(): Record<string, unknown> {
    return this.status();
  }

  private status(): Record<string, unknown> {
    const now = performance.now();
    return {
      members: [...this.members.values()].map((m) => ({
        id: m.id, name: m.name, advertise: m.hello.advertise, memBytes: m.memBytes, cores: m.cores,
        state: m.vmId ? 'in-vm' : 'idle', lastHeartbeatMsAgo: now - m.lastHeartbeat,
      })),
      vms: [...this.vms.values()].map((vm) => this.info(vm)),
    };
  }

  private watch(call: grpc.ServerWritableStream<{ vmId: string }, unknown>): void {
    if (!authorized(call.metadata, this.o.token)) return void call.emit('error', refusal());
    const vm = this.vms.get(call.request.vmId);
    const hub = this.consoles.get(call.request.vmId);
    if (!vm) return void call.emit('error', { code: grpc.status.NOT_FOUND, details: `no VM ${call.request.vmId}` });
    const off = hub?.watch((bytes) => call.write({ console: bytes }));
    call.on('cancelled', () => off?.());
    void vm.done.then((r) => {
      off?.();
      call.write({ exit: { exitCode: r.exitCode, outcome: r.outcome.kind, reason: r.stats.reason, statsJson: JSON.stringify(r.stats) } });
      call.end();
    });
  }

  async close(): Promise<void> {
    clearInterval(this.watchdog);
    for (const vm of this.vms.values()) if (vm.state !== 'stopped') vm.stop('coordinator shutting down');
    await Promise.all([...this.vms.values()].map((vm) => vm.done.catch(() => undefined)));
    for (const m of this.members.values()) m.dismiss();
    await new Promise<void>((r) => this.server.tryShutdown(() => r()));
    this.server.forceShutdown();
  }
}
