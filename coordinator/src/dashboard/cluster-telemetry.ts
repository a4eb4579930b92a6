/**
 * VmTelemetry over a Vm: a snapshot is one TelemetryRequest to each
 * live agent (answered at once, outside the control order) and their
 * replies, or a gap for a node that does not answer within REPLY_TIMEOUT_MS.
 *
 * @example
 *   const t = new ClusterTelemetry(vm, tap);
 *   const snap = await t.snapshot(4096);
 */
import { coordinatorMessage, type NodeSample } from '@unum/node-agent';
import type { Telemetry } from '@unum/protos/cluster';
import type { NodeLink } from '../nodes/node-link.js';
import type { Vm } from '../vm/vm.js';
import type { ConsoleTap, NodeView, VmControl, VmInfo, VmSnapshot, VmTelemetry } from '../telemetry/vm-telemetry.js';

const REPLY_TIMEOUT_MS = 2000;

const u32 = (b: Uint8Array | undefined): Uint32Array | undefined =>
  b && b.byteLength % 4 === 0 ? new Uint32Array(Uint8Array.from(b).buffer) : undefined;

export class ClusterTelemetry implements VmTelemetry {
  private seq = 0;
  readonly ended: Promise<unknown>;

  constructor(private readonly vm: Vm, readonly console: ConsoleTap | undefined) {
    this.ended = vm.done.catch(() => undefined);
  }

  info(): VmInfo {
    const p = this.vm.plan;
    return {
      id: this.vm.id, state: this.vm.state, protocol: p.protocolName, unitBytes: p.unitBytes, memBytes: p.memBytes,
      units: p.memBytes / p.unitBytes, vcpus: p.vcpus, nodeNames: this.vm.nodes.map((m) => m.name), hartNode: [...this.vm.hartNode],
    };
  }

  async snapshot(cells: number, inspect = -1): Promise<VmSnapshot> {
    const now = performance.now();
    const nodes = await Promise.all(this.vm.nodes.map(async (m, node): Promise<NodeView> => {
      const view: NodeView = { node, name: m.name, alive: !m.lostReason, heartbeatMsAgo: now - m.lastHeard };
      if (m.lostReason || this.vm.state === 'stopped') return view;
      const reply = await this.ask(m, cells, inspect);
      if (!reply) return view;
      return { ...view, sample: JSON.parse(reply.json) as NodeSample, owned: u32(reply.owned), faults: u32(reply.faults) };
    }));
    const first = nodes.find((n) => n.sample)?.sample;
    return {
      t: performance.now(), info: this.info(), nodes,
      cells: first?.map.cells ?? cells, unitsPerCell: first?.map.unitsPerCell ?? Math.ceil(this.info().units / cells),
    };
  }

  private ask(m: NodeLink, cells: number, inspect: number): Promise<Telemetry | undefined> {
    const seq = (this.seq = this.seq >= 0x7fff_ffff ? 1 : this.seq + 1);
    return new Promise((resolve) => {
      const done = (r: Telemetry | undefined): void => { clearTimeout(timer); off(); resolve(r); };
      const timer = setTimeout(() => done(undefined), REPLY_TIMEOUT_MS);
      const off = m.on({
        message: (msg) => { if (msg.kind?.$case === 'telemetry' && msg.kind.value.seq === seq) done(msg.kind.value); },
        lost: () => done(undefined),
      });
      m.send(coordinatorMessage('telemetryRequest', { seq, cells, inspect }));
    });
  }

  async control(op: VmControl): Promise<void> {
    if (op === 'pause') await this.vm.pause();
    else if (op === 'resume') await this.vm.resume();
    else this.vm.stop('stopped from the dashboard');
  }
}
