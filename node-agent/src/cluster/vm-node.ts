/**
 * One agent's share of a cluster VM: the NodeAgent running the harts placed
 * here, the DsmNode as its page-fault handler (over a FramePoolPageStore),
 * the DSM's gRPC links to the other nodes, the RemoteMmioBus to the
 * coordinator's devices, the CLINT registers of local harts for accesses
 * other nodes make, and the built-in SBI's calls to and from harts on other
 * nodes (cluster-sbi.ts).
 */
import { checkProtocolSpec, DelayedTransport, DsmNode, GrpcTransport, nextTurn, type Placement, type Transport } from '@unum/dsm';
import { Irq_Pin, VcpuMigration, type AgentMessage, type HartImage, type ClintAccess, type MmioReply, type Irq, type Peer, type SbiCall, type SbiReply, type Step, type StepReply, type VmSetup } from '@unum/protos/cluster';
import type { NodeReport } from '@unum/protos/stats';
import type { Logger } from 'pino';
import { LocalClint } from '../clint-local.js';
import { virtBoard } from '@unum/machine';
import { NotLocal } from '../frame-pool.js';
import { HartWords } from '../hart-words.js';
import { NodeAgent, type BootState, type PageFault } from '../node-agent.js';
import { FramePoolPageStore } from './dsm-page-store.js';
import { NodeTelemetry, type TelemetryQuery, type TelemetryReply } from './node-telemetry.js';
import { RemoteMmioBus } from './remote-mmio.js';
import { WriteOrderedTransport } from './write-ordered-transport.js';
import { FaultTraceSink } from './fault-trace-sink.js';
import { DsmProfiler } from './dsm-profiler.js';
import { NodeMemory, type NodeMemoryConfig } from '../eviction/node-memory.js';
import { LockstepNode } from '../run-policy/index.js';
import { deviceSbiForwarder } from '../sbi/node-sbi.js';
import { ClusterSbiForwarder, serveSbiCall } from './cluster-sbi.js';
import { DeviceHost, routeDeviceWindows } from '../devices/device-host.js';
import { DsmGuestDma, type DmaAccess, type DsmTraffic } from '../devices/dsm-guest-dma.js';
import { agentMessage } from './wire.js';
import { FAULT_AFFINITY_DEFAULTS, FaultAffinity } from './fault-affinity.js';
import { ServedByTap } from './served-by-tap.js';
import { vcpuNice } from '../vcpu-priority.js';

export interface VmNodeContext {
  name: string;
  token: string;
  /** HOST:0 the DSM link server binds; its port joins `advertiseHost`. */
  dsmListenHost: string;
  advertiseHost: string;
  /** local − coordinator monotonic clock (ns). */
  clockOffsetNs: bigint;
  send(m: AgentMessage): void;
  logger: Logger;
  /** Swap for this node's capped memory (none: a full node fails). */
  memory?: NodeMemoryConfig;
  /** One-way latency added to each DSM link (ns). */
  linkLatencyNs?: number;
  /** Engine module for the vCPU workers (tests swap in a scripted one). */
  engineModule?: URL;
}

const PEER_READY_MS = 10_000;
/** Hottest units each node reports (DsmNode.pageStats). */
const HOT_UNITS = 16;

export class VmNode {
  private halted: Promise<void> | undefined;
  private startedAt = 0;
  private bootUnits = new Set<number>();
  private readonly clint: LocalClint;
  private readonly words: HartWords;

  private constructor(
    readonly setup: VmSetup,
    private readonly ctx: VmNodeContext,
    readonly agent: NodeAgent,
    private readonly store: FramePoolPageStore,
    private readonly transport: GrpcTransport,
    readonly dsm: DsmNode,
    private readonly bus: RemoteMmioBus,
    private readonly observed: NodeTelemetry,
    private readonly traceSink: FaultTraceSink | undefined,
    readonly memory: NodeMemory,
    /** Lockstep mode: answers the coordinator's Steps, owns the DSM's virtual clock (undefined: free-running). */
    private readonly lockstep: LockstepNode | undefined,
    private readonly sbi: ClusterSbiForwarder,
    /** The virtio devices, on the device node only (VmSetup.device_node). */
    private readonly devices: DeviceHost | undefined,
    /** --profile-dsm (undefined: not asked for). */
    private readonly profiler: DsmProfiler | undefined,
    /** --vcpu-migration fault-affinity (undefined: off): the policy, and the tap that tells it who served each fault. */
    private readonly affinity: { policy: FaultAffinity; servedBy: ServedByTap } | undefined,
  ) {
    this.words = new HartWords(agent.buffer);
    this.clint = new LocalClint(this.words, agent.clock, setup.hartCount, agent.local);
  }

  static async create(setup: VmSetup, ctx: VmNodeContext): Promise<VmNode> {
    const ramBytes = Number(setup.ramBytes);
    if (!setup.protocol) throw new Error('VM setup without a DSM protocol');
    const protocol = checkProtocolSpec(setup.protocol); // off the wire: checked as if typed here
    // The only node, holding all of RAM: every page is ours from the start (LAZY, zeroed on first
    // touch by the worker itself), as on any one-node VMM; the DSM only ever sees the boot image.
    const alone = setup.nodes === 1 && Number(setup.frames) * 4096 >= ramBytes;
    const posted = virtBoard().postedWindows();
    const bus = new RemoteMmioBus(ctx.send, posted);
    const sbi = new ClusterSbiForwarder(ctx.send, ctx.logger); // harts on other nodes; console and reset stay on the device path
    let self: VmNode | undefined;
    let devices: DeviceHost | undefined;
    const deviceNode = setup.node === setup.deviceNode;
    const agent = await NodeAgent.create({
      harts: setup.harts.length, hartIds: setup.harts, hartCount: setup.hartCount, ramBytes,
      frames: Number(setup.frames), mmio: deviceNode ? routeDeviceWindows(bus, () => devices) : bus, postedWrites: posted, unmappedRam: !alone, logger: ctx.logger, vcpuNice: vcpuNice(alone, setup.harts.length),
      engineModule: ctx.engineModule, sbi: setup.builtinSbi ? 'builtin' : 'firmware', sbiForwarder: sbi.over(deviceSbiForwarder(bus, ctx.logger)),
      originNs: setup.originNs + ctx.clockOffsetNs,
      pageFault: (f) => self!.fault(f),
      lockstep: setup.quantum > 0 ? { localFault: (f) => self!.localFault(f) } : undefined,
    });
    const frameStore = new FramePoolPageStore(agent.pool, setup.unitBytes, () => agent.revoke());
    const memory = await NodeMemory.create(agent.pool, frameStore, ramBytes / setup.unitBytes, ctx.name, ctx.memory, ctx.logger);
    const store = memory.store;
    const grpc = await GrpcTransport.start({
      self: setup.node, nodes: setup.nodes, secret: ctx.token, cluster: setup.vmId,
      listen: `${ctx.dsmListenHost}:0`, logger: ctx.logger,
    });
    const affinity = setup.vcpuMigration === VcpuMigration.VCPU_MIGRATION_FAULT_AFFINITY
      ? { policy: new FaultAffinity({ self: setup.node, ...FAULT_AFFINITY_DEFAULTS }), servedBy: new ServedByTap(grpc) } : undefined;
    const transport = affinity?.servedBy ?? grpc; // tapped only for the policy: nothing added to a fault's path without it
    const observed = new NodeTelemetry(ramBytes / setup.unitBytes, setup.node);
    const traceSink = FaultTraceSink.fromEnv(setup.node);
    const profiler = setup.profileDsm ? new DsmProfiler() : undefined;
    const lockstep: LockstepNode | undefined = agent.lockstep && new LockstepNode(agent.lockstep, () => dsm.activity());
    const dsm = new DsmNode({
      timers: lockstep?.timers,
      trace: (f) => { observed.fault(f.unit, f.us); traceSink?.write(f); },
      onSend: profiler && ((m) => profiler.sent(m)),
      id: setup.node, nodes: setup.nodes, protocol, unitBytes: setup.unitBytes,
      units: ramBytes / setup.unitBytes, placement: setup.pagePlacement as Placement, store, logger: ctx.logger, capacity: memory.capacity,
      bulkYield: lockstep ? undefined : nextTurn, // lockstep: a batch stays one step
      transport: orderedTransport(ctx.linkLatencyNs ? new DelayedTransport(transport, ctx.linkLatencyNs) : transport, bus, setup.builtinSbi ? sbi : undefined),
    });
    memory.attach(dsm);
    if (deviceNode) {
      const dma = new DsmGuestDma(agent.pool, ramBytes, (gpa, access) => self!.dmaFault(gpa, access), () => trafficOf(dsm));
      devices = await DeviceHost.create(setup.devices, {
        board: virtBoard(), dma, logger: ctx.logger,
        irqLine: (source, level) => ctx.send(agentMessage('irqLine', { source, level })),
        consoleOutput: (data) => ctx.send(agentMessage('consoleOutput', { data })),
      });
    }
    self = new VmNode(setup, ctx, agent, frameStore, grpc, dsm, bus, observed, traceSink, memory, lockstep, sbi, devices, profiler, affinity);
    return self;
  }

  /** Where the other nodes reach this node's DSM. */
  get address(): string {
    return `${this.ctx.advertiseHost}:${this.transport.port}`;
  }

  async connect(peers: Peer[]): Promise<void> {
    const map: Record<number, string> = {};
    for (const p of peers) map[p.node] = p.address;
    this.transport.connect(map);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`DSM links to peers not up within ${PEER_READY_MS} ms`)), PEER_READY_MS);
    });
    try {
      await Promise.race([this.transport.ready(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Boot image bytes for units this node initially owns: claim each unit (write fault, local), then copy. */
  async load(gpa: number, data: Uint8Array): Promise<void> {
    const first = this.store.unitOf(gpa);
    const last = this.store.unitOf(gpa + data.length - 1);
    for (let u = first; u <= last; u++) {
      if (this.bootUnits.has(u)) continue;
      await this.dsm.fault(u, 'write');
      this.bootUnits.add(u);
    }
    this.agent.pool.write(gpa, data);
  }

  /** Lockstep: a first touch of a unit this node owns, on a node that never evicts, involves no one else. */
  private localFault(f: PageFault): boolean {
    const uncapped = Number(this.setup.frames) * 4096 >= Number(this.setup.ramBytes);
    const unit = this.ramUnit(f.gpa);
    return uncapped && unit !== undefined && this.dsm.resolvesLocally(unit);
  }

  /** The DSM unit of an address in guest RAM (undefined outside it). */
  private ramUnit(gpa: number): number | undefined {
    const unit = this.store.unitOf(gpa);
    return unit < 0 || unit * this.setup.unitBytes >= Number(this.setup.ramBytes) ? undefined : unit;
  }

  private async fault(f: PageFault): Promise<void> {
    const unit = this.ramUnit(f.gpa);
    if (unit === undefined) throw new NotLocal(f.gpa);
    const access = f.access === 'write' ? 'write' : 'read';
    const resolved = this.profiler?.faulted(unit, access, this.words.pc(f.hart), this.words.priv(f.hart));
    await this.memory.evictor.beforeFault(unit);
    await this.dsm.fault(unit, access);
    resolved?.();
    if (this.affinity) this.askToMove(f.hart, this.affinity.servedBy.take(unit));
  }

  /** --vcpu-migration fault-affinity: node `by` served a fault of `hart`; ask the coordinator to move it when its window says so. */
  private askToMove(hart: number, by: number | undefined): void {
    const to = by === undefined ? undefined : this.affinity!.policy.served(hart, by);
    if (to !== undefined && this.agent.local.has(hart)) this.ctx.send(agentMessage('moveRequest', { hart, node: to }));
  }

  /** A device's DMA needs `access` to the unit of `gpa`: the same path as a hart's fault. */
  private async dmaFault(gpa: number, access: DmaAccess): Promise<void> {
    const unit = this.ramUnit(gpa);
    if (unit === undefined) throw new NotLocal(gpa);
    await this.memory.evictor.beforeFault(unit);
    await this.dsm.fault(unit, access);
  }

  /** Start the local harts; `onHalted` runs once all of them have stopped (or failed). */
  start(boot: BootState, onHalted: (error?: Error) => void): void {
    this.startedAt = performance.now();
    this.halted = this.agent.start(boot);
    this.halted.then(() => onHalted(), (e: unknown) => onHalted(e instanceof Error ? e : new Error(String(e))));
  }

  pause(): Promise<void> {
    return this.agent.pause();
  }

  resume(): void {
    this.agent.resume();
  }

  async stop(): Promise<void> {
    await this.agent.stop();
  }

  /** Lockstep: one step the coordinator's LockstepDriver asks for (docs/determinism.md). */
  async step(s: Step): Promise<StepReply> {
    if (!this.lockstep) throw new Error('lockstep step on a free-running VM');
    return this.lockstep.step(s);
  }

  /** vCPU migration: stop local hart `hart` at an exit boundary and hand over its state. */
  async emigrate(hart: number): Promise<HartImage> {
    const image = await this.agent.emigrate(hart);
    this.affinity?.policy.left(hart);
    return image;
  }

  /** vCPU migration: run hart `image.hart` here from its state. */
  async immigrate(image: HartImage): Promise<void> {
    await this.agent.immigrate(image);
    this.affinity?.policy.arrived(image.hart);
  }

  irq(i: Irq): void {
    if (this.agent.local.has(i.hart)) this.agent.setExternalIrq(i.hart, i.pin === Irq_Pin.MEIP ? 'M' : 'S', i.level);
  }

  /** A CLINT access another node made to one of our harts, or a device register here; the read value (0 for writes). */
  clintAccess(a: ClintAccess): bigint {
    const gpa = Number(a.gpa);
    if (this.devices?.serves(gpa)) return this.devices.access(gpa, a.size, a.write, a.value);
    if (a.write) {
      this.clint.write(gpa, a.size, a.value);
      return 0n;
    }
    return this.clint.read(gpa, a.size);
  }

  /** Host console input for the guest's virtio console (this is the device node). */
  consoleInput(bytes: Uint8Array): void {
    this.devices?.consoleInput(bytes);
  }

  mmioReply(r: MmioReply): void {
    this.bus.reply(r);
  }

  /** Another node's SBI call for harts placed here (IPI, fence, hart start/status); the reply's value. */
  sbiCall(c: SbiCall): Promise<bigint> {
    return serveSbiCall(this.agent.sbiLocal, c);
  }

  /** The answer to one of this node's SBI calls. */
  sbiReply(r: SbiReply): void {
    this.sbi.reply(r);
  }

  report(): NodeReport {
    const instret: Record<number, string> = {};
    for (const s of this.agent.hartStatus()) instret[s.hart] = s.instret.toString();
    const dsm = this.dsm.stats();
    return {
      node: this.setup.node, name: this.ctx.name, harts: this.agent.hartIds, instret,
      mmioReads: this.bus.reads, mmioWrites: this.bus.writes,
      runMs: this.startedAt ? performance.now() - this.startedAt : 0,
      bootUnits: this.bootUnits.size, framesUsed: this.agent.pool.used, dsm, hotUnits: this.dsm.pageStats(HOT_UNITS), ...this.memory.report(),
      dsmProfile: this.profiler?.profile(),
      io: this.devices?.stats(),
    };
  }

  /** Live state for the dashboard and /metrics (asked for, never pushed). */
  telemetry(q: TelemetryQuery): TelemetryReply {
    const t = this.observed.sample(this.agent, this.dsm, Number(this.setup.frames), q);
    if (this.devices) t.sample.io = this.devices.stats();
    return t;
  }

  async close(why: string): Promise<void> {
    this.bus.close(why);
    this.sbi.close(why);
    await this.agent.stop();
    await this.devices?.close();
    await this.dsm.close();
    await this.traceSink?.close();
    await this.memory.close();
  }
}

/** This node's DSM messages and bytes so far, both directions (what DMA faults are charged with). */
function trafficOf(dsm: DsmNode): DsmTraffic {
  const s = dsm.stats();
  let messages = 0;
  let bytes = 0;
  for (const c of [...Object.values(s.messagesSent), ...Object.values(s.messagesReceived)]) {
    messages += c.count;
    bytes += c.bytes;
  }
  return { messages, bytes };
}

/**
 * DSM frames wait for this node's posted MMIO writes and (built-in SBI) its
 * posted IPIs to other nodes (see WriteOrderedTransport), then for the
 * emulated link. The outer wrapper holds a frame behind the IPIs posted
 * before it; the inner one then behind the writes sent before its release
 * (a superset of those sent before the frame: still in order, never early).
 */
function orderedTransport(link: Transport, writes: RemoteMmioBus, ipis: ClusterSbiForwarder | undefined): Transport {
  const behindWrites = new WriteOrderedTransport(link, writes);
  return ipis ? new WriteOrderedTransport(behindWrites, ipis) : behindWrites;
}
