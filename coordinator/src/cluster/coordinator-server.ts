/**
 * The coordinator's gRPC server (protos/cluster.proto): agents Join over one
 * stream each (membership, heartbeats watched every 200 ms, clock pings);
 * clients create and drive VMs. Every call must carry the cluster secret.
 * A CreateVm request is checked by the same vmSpecOf as the CLI's flags.
 *
 * @example
 *   const coord = await CoordinatorServer.start({ listen: '127.0.0.1:7700', token, logger });
 *   const nodes = await coord.waitForMembers(2, 10_000);
 *   const vm = await coord.createVm({ spec, boot: { kernel: elf, bootargs: '' }, console });
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import * as grpc from '@grpc/grpc-js';
import { ElfError, type ConsolePort } from '@unum/machine';
import { authorized, bootId, CHANNEL_OPTIONS, coordinatorMessage, refusal } from '@unum/node-agent';
import {
  ClusterService, HealthService, type AgentMessage, type ClusterStatus, type CreateVmRequest, type Hello, type MigrateVcpuRequest, type VmInfo, type VmRef, type VmEvent,
} from '@unum/protos/cluster';
import { wireJson } from '@unum/protos';
import type { Logger } from 'pino';
import { GUARDED_SERVER_OPTIONS, listenGuarded, type GuardedListener } from '@unum/dsm';
import { MachineError } from '../machine-error.js';
import { DEFAULT_HEARTBEAT_TIMEOUT_MS, RemoteNode, type JoinStream } from '../nodes/remote-node.js';
import type { NodeLink } from '../nodes/node-link.js';
import type { BootSpec } from '../spec/boot-spec.js';
import { vcpuMigrationText, vmSpecOf, type VmSpec } from '../spec/vm-spec.js';
import { bootLayoutOf } from '../spec/boot-spec.js';
import { bootSpecOfRequest } from '../spec/boot-wire.js';
import { Vm } from '../vm/vm.js';
import { ConsoleHub } from './console-hub.js';

export interface CoordinatorOptions {
  listen: string;
  token: string;
  logger: Logger;
  /** Quiet this long makes an agent suspect; T/2 more without an answer to the probe, lost (default 2000 ms). */
  heartbeatTimeoutMs?: number;
}

export interface CreateVm {
  spec: VmSpec;
  boot: BootSpec;
  /** Use this many idle members (default: all idle ones), in join order. */
  nodes?: number;
  /** Exactly these nodes, node i = nodes[i] (the embedded cluster's agents). */
  members?: NodeLink[];
  console?: ConsolePort;
  /** Leased to its client's WatchVm stream (CreateVm without detach): it stops when the last watcher goes. */
  leased?: boolean;
}

const WATCHDOG_MS = 200;
/** A watchdog tick this much late means the coordinator itself did not run. */
const STALL_MS = 300;
const HELLO_TIMEOUT_MS = 5000;
/** A leased VM nobody has watched this long after CreateVm is stopped (its client died before WatchVm). */
const LEASE_FIRST_WATCH_MS = 10_000;

type Unary<Req, Res> = (call: grpc.ServerUnaryCall<Req, Res>, cb: grpc.sendUnaryData<Res>) => void;

export class CoordinatorServer {
  readonly members = new Map<number, RemoteNode>();
  readonly vms = new Map<string, Vm>();
  private readonly consoles = new Map<string, ConsoleHub>();
  /** Open WatchVm streams of each leased VM. */
  private readonly leases = new Map<string, number>();
  private nextMemberId = 1;
  private readonly server = new grpc.Server({ ...CHANNEL_OPTIONS, ...GUARDED_SERVER_OPTIONS });
  private door: GuardedListener | undefined;
  private readonly watchdog: NodeJS.Timeout;
  private readonly joinWaiters = new Set<() => void>();
  port = 0;

  private constructor(private readonly o: CoordinatorOptions) {
    let lastTick = performance.now();
    this.watchdog = setInterval(() => {
      const now = performance.now();
      const late = now - lastTick > WATCHDOG_MS + STALL_MS;
      lastTick = now;
      // This process was starved: what the agents sent may still wait unread; judge them on the next tick.
      if (late) return;
      for (const m of this.members.values()) m.checkHeartbeat(now);
    }, WATCHDOG_MS);
  }

  static async start(o: CoordinatorOptions): Promise<CoordinatorServer> {
    const c = new CoordinatorServer(o);
    c.server.addService(HealthService, {
      check: c.unary(async () => ({ role: 'coordinator', name: hostname() })),
    });
    c.server.addService(ClusterService, {
      join: (call: JoinStream) => c.join(call),
      status: c.unary(async () => c.status()),
      createVm: c.unary(async (r: CreateVmRequest) => c.info(await c.createFromRequest(r))),
      startVm: c.unary(async (r: VmRef) => { const vm = c.vm(r.vmId); await vm.start(); return c.info(vm); }),
      pauseVm: c.unary(async (r: VmRef) => { const vm = c.vm(r.vmId); await vm.pause(); return c.info(vm); }),
      resumeVm: c.unary(async (r: VmRef) => { const vm = c.vm(r.vmId); await vm.resume(); return c.info(vm); }),
      migrateVcpu: c.unary(async (r: MigrateVcpuRequest) => { const vm = c.vm(r.vmId); await vm.migrateHart(r.hart, r.node); return c.info(vm); }),
      stopVm: c.unary(async (r: VmRef) => {
        const vm = c.vm(r.vmId);
        vm.stop('stopped through the API');
        await vm.done;
        return c.info(vm);
      }),
      watchVm: (call: grpc.ServerWritableStream<VmRef, VmEvent>) => c.watch(call),
      consoleInput: c.unary(async (r: { vmId: string; data: Uint8Array }) => {
        const hub = c.consoles.get(r.vmId);
        if (!hub) throw new MachineError('bad-config', `no VM ${r.vmId}`);
        hub.input(r.data);
        return {};
      }),
    });
    c.door = await listenGuarded(c.server, o.listen); // silent peers are closed, not held
    c.port = c.door.port;
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

  private join(call: JoinStream): void {
    if (!authorized(call.metadata, this.o.token)) {
      this.o.logger.warn({ peer: call.getPeer() }, 'refused an agent: bad or missing cluster secret');
      call.emit('error', refusal());
      return;
    }
    let member: RemoteNode | undefined;
    const helloTimer = setTimeout(() => !member && call.end(), HELLO_TIMEOUT_MS);
    const gone = (why: string): void => {
      clearTimeout(helloTimer);
      if (!member) return;
      this.members.delete(member.id);
      member.lose(why);
    };
    call.on('data', (m: AgentMessage) => {
      const kind = m.kind;
      if (kind?.$case === 'clockPing') {
        call.write(coordinatorMessage('clockPong', { seq: kind.value.seq, coordinatorNs: process.hrtime.bigint() }));
        return;
      }
      if (member) return member.receive(m);
      if (kind?.$case !== 'hello') return;
      clearTimeout(helloTimer);
      member = this.admit(kind.value, call);
    });
    call.on('end', () => gone('its stream ended'));
    call.on('error', (e: grpc.ServiceError) => gone(`stream failed (${e.details || e.message})`));
    call.on('cancelled', () => gone('connection lost'));
    call.on('close', () => gone('connection closed'));
  }

  private admit(hello: Hello, call: JoinStream): RemoteNode {
    const m = new RemoteNode(this.nextMemberId++, hello, call, this.o.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS);
    this.members.set(m.id, m);
    m.send(coordinatorMessage('welcome', { memberId: m.id, bootId: bootId() }));
    this.o.logger.info({ member: m.id, name: hello.name, advertise: hello.advertise }, 'agent joined');
    for (const w of this.joinWaiters) w();
    return m;
  }

  /** Resolves with `n` idle members once they have joined; rejects after `timeoutMs` or when `abort` fires. */
  waitForMembers(n: number, timeoutMs: number, abort?: Promise<string>): Promise<RemoteNode[]> {
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

  private idle(): RemoteNode[] {
    return [...this.members.values()].filter((m) => !m.vmId && !m.lostReason).sort((a, b) => a.id - b.id);
  }

  // ---- VMs -------------------------------------------------------------------

  async createVm(c: CreateVm): Promise<Vm> {
    const idle = this.idle();
    const nodes = c.members ?? (c.nodes ? idle.slice(0, c.nodes) : idle);
    if (nodes.length === 0 || (c.nodes && nodes.length < c.nodes)) {
      throw new MachineError('bad-config', `need ${c.nodes ?? 1} idle agent(s), have ${idle.length}`);
    }
    const id = randomUUID().slice(0, 8);
    const hub = c.console ? undefined : new ConsoleHub();
    if (hub) this.consoles.set(id, hub);
    const vm = await Vm.create({ id, spec: c.spec, nodes, boot: c.boot, console: c.console ?? hub!, logger: this.o.logger });
    this.vms.set(id, vm);
    if (c.leased) {
      this.leases.set(id, 0);
      const first = setTimeout(() => this.leases.get(id) === 0 && vm.stop(`its client never watched it (no WatchVm within ${LEASE_FIRST_WATCH_MS / 1000} s)`),
        LEASE_FIRST_WATCH_MS);
      void vm.done.then(() => { clearTimeout(first); this.leases.delete(id); });
    }
    void vm.done.then(() => setTimeout(() => this.consoles.delete(id), 60_000));
    return vm;
  }

  /** A client's request, checked like the CLI's flags (bad input first, whatever the cluster looks like). */
  private createFromRequest(r: CreateVmRequest): Promise<Vm> {
    const spec = vmSpecOf({
      vcpus: r.vcpus, memBytes: Number(r.memBytes), placement: r.placement || undefined, protocol: r.protocol || undefined,
      knobs: r.knobs, unitBytes: r.unitBytes || undefined, pagePlacement: r.pagePlacement || undefined, quantum: r.quantum,
      profileDsm: r.profileDsm, devices: r.devices, deviceNode: r.deviceNode, vcpuMigration: vcpuMigrationText(r.vcpuMigration),
    });
    const boot = bootSpecOfRequest(r);
    bootLayoutOf(boot, spec); // bad files: the CLI's one line, before any node is touched
    return this.createVm({ spec, boot, nodes: r.nodes || undefined, leased: !r.detach });
  }

  private vm(id: string): Vm {
    const vm = this.vms.get(id);
    if (!vm) throw new MachineError('bad-config', `no VM ${id}`);
    return vm;
  }

  /** What a client sees of a VM; once it has ended, how (outcome, exit status, reason) as `unum run` would report it. */
  private info(vm: Vm): VmInfo {
    const r = vm.result;
    return {
      vmId: vm.id, state: vm.state, vcpus: vm.plan.vcpus, memBytes: BigInt(vm.plan.memBytes), hartNode: vm.hartNode,
      nodeNames: vm.nodes.map((m) => m.name), exitCode: r?.exitCode ?? 0, reason: r?.stats.reason ?? '', outcome: r?.outcome.kind ?? '',
    };
  }

  /** The console of a VM created through the API (the dashboard's window onto it). */
  consoleOf(vmId: string): ConsoleHub | undefined {
    return this.consoles.get(vmId);
  }

  /** Members and VMs as plain JSON (the dashboard's /api/status): 64-bit sizes as numbers. */
  statusJson(): unknown {
    return JSON.parse(wireJson(this.status()));
  }

  /** Members and VMs (the Status RPC). */
  status(): ClusterStatus {
    const now = performance.now();
    return {
      members: [...this.members.values()].map((m) => ({
        id: m.id, name: m.name, advertise: m.hello.advertise, memBytes: BigInt(m.offer.memBytes), cores: m.offer.cores,
        state: m.vmId ? 'in-vm' : 'idle', lastHeartbeatMsAgo: now - m.lastHeard,
      })),
      vms: [...this.vms.values()].map((vm) => this.info(vm)),
    };
  }

  private watch(call: grpc.ServerWritableStream<VmRef, VmEvent>): void {
    if (!authorized(call.metadata, this.o.token)) return void call.emit('error', refusal());
    const vm = this.vms.get(call.request.vmId);
    const hub = this.consoles.get(call.request.vmId);
    if (!vm) return void call.emit('error', { code: grpc.status.NOT_FOUND, details: `no VM ${call.request.vmId}` });
    const off = hub?.watch((bytes) => call.write({ kind: { $case: 'console', value: bytes } }));
    const leased = this.leases.has(vm.id);
    if (leased) this.leases.set(vm.id, this.leases.get(vm.id)! + 1);
    let gone = false;
    // The stream is the lease: when the last watcher of a leased VM goes (its client quit or was killed), the VM stops.
    const release = (): void => {
      if (gone) return;
      gone = true;
      off?.();
      if (!leased || !this.leases.has(vm.id)) return;
      const left = this.leases.get(vm.id)! - 1;
      this.leases.set(vm.id, left);
      if (left === 0 && vm.state !== 'stopping' && vm.state !== 'stopped') vm.stop('its client went away (the WatchVm stream closed)');
    };
    call.on('cancelled', release);
    call.on('close', release);
    void vm.done.then((r) => {
      gone = true;
      off?.();
      call.write({ kind: { $case: 'exit', value: { exitCode: r.exitCode, outcome: r.outcome.kind, reason: r.stats.reason, stats: r.stats } } });
      call.end();
    });
  }

  async close(): Promise<void> {
    clearInterval(this.watchdog);
    for (const vm of this.vms.values()) if (vm.state !== 'stopped') vm.stop('coordinator shutting down');
    await Promise.all([...this.vms.values()].map((vm) => vm.done.catch(() => undefined)));
    for (const m of this.members.values()) m.dismiss();
    this.door?.close();
    await new Promise<void>((r) => this.server.tryShutdown(() => r()));
    this.server.forceShutdown();
  }
}
