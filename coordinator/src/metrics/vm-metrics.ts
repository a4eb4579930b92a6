/**
 * Prometheus metrics (prom-client) for the VMs a dashboard watches, labelled
 * by VM and node: DSM faults, invalidations, messages and bytes, fault
 * latency histograms, virtio I/O and the DSM traffic its DMA caused, vCPU states and instructions, node memory and
 * liveness; plus the coordinator process's default metrics. Values are the
 * agents' own cumulative counters from the latest sample (≤ SAMPLE_MS old),
 * filled in at scrape time.
 *
 * @example
 *   const metrics = new VmMetrics();
 *   monitor.onTick((_f, _c, snap) => metrics.update(snap));
 *   res.end(await metrics.text());
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { VmSnapshot } from '../telemetry/vm-telemetry.js';
import { LatencyHistogram } from './latency-histogram.js';

type Labels = Record<string, string>;
type Sample = NonNullable<VmSnapshot['nodes'][number]['sample']>;

/** A prom-client metric whose values are set from the latest snapshots when scraped. */
function fromSnapshots<T extends Counter<string> | Gauge<string>>(metric: T, each: (set: (l: Labels, v: number) => void, snap: VmSnapshot) => void,
  snaps: () => Iterable<VmSnapshot>): T {
  const m = metric as unknown as { reset(): void; inc?(l: Labels, v: number): void; set?(l: Labels, v: number): void };
  (metric as unknown as { collect: () => void }).collect = () => {
    m.reset();
    for (const s of snaps()) each((l, v) => (m.set ? m.set(l, v) : m.inc!(l, v)), s);
  };
  return metric;
}

export class VmMetrics {
  readonly registry = new Registry();
  private readonly latest = new Map<string, VmSnapshot>();

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'unum_coordinator_' });
    const r = [this.registry];
    const snaps = (): Iterable<VmSnapshot> => this.latest.values();
    const perNode = (name: string, help: string, kind: 'counter' | 'gauge', value: (s: Sample) => number): void => {
      const labelNames = ['vm', 'node', 'name'];
      const metric = kind === 'counter' ? new Counter({ name, help, labelNames, registers: r }) : new Gauge({ name, help, labelNames, registers: r });
      fromSnapshots(metric, (set, snap) => {
        for (const n of snap.nodes) if (n.sample) set({ vm: snap.info.id, node: String(n.node), name: n.name }, value(n.sample));
      }, snaps);
    };
    perNode('unum_dsm_read_faults_total', 'DSM read faults taken on the node', 'counter', (s) => s.dsm.readFaults);
    perNode('unum_dsm_write_faults_total', 'DSM write faults taken on the node', 'counter', (s) => s.dsm.writeFaults);
    perNode('unum_dsm_invalidations_sent_total', 'invalidations the node sent', 'counter', (s) => s.dsm.invalidationsSent);
    perNode('unum_dsm_invalidations_received_total', 'invalidations the node received', 'counter', (s) => s.dsm.invalidationsReceived);
    perNode('unum_dsm_messages_received_total', 'DSM messages the node received', 'counter', (s) => s.dsm.messagesReceived);
    perNode('unum_dsm_bytes_sent_total', 'DSM payload bytes the node sent', 'counter', (s) => s.dsm.bytesSent);
    perNode('unum_dsm_bytes_received_total', 'DSM payload bytes the node received', 'counter', (s) => s.dsm.bytesReceived);
    // virtio I/O on the device node (0 elsewhere): requests, and what their DMA cost the DSM
    perNode('unum_io_requests_total', 'virtio requests the device node completed', 'counter', (s) => s.io?.requests ?? 0);
    perNode('unum_io_dsm_faults_total', 'DSM faults device DMA took on the node', 'counter', (s) => (s.io ? s.io.readFaults + s.io.writeFaults : 0));
    perNode('unum_io_dsm_messages_total', 'DSM messages sent and received while device DMA faults resolved', 'counter', (s) => s.io?.dsmMessages ?? 0);
    perNode('unum_io_dsm_bytes_total', 'DSM payload bytes sent and received while device DMA faults resolved', 'counter', (s) => s.io?.dsmBytes ?? 0);
    perNode('unum_net_rx_frames_total', 'frames the device node\'s NICs delivered to the guest', 'counter', (s) => s.io?.net?.rxFrames ?? 0);
    perNode('unum_net_tx_frames_total', 'frames the guest sent through the device node\'s NICs', 'counter', (s) => s.io?.net?.txFrames ?? 0);
    perNode('unum_net_rx_dropped_total', 'host frames the NICs dropped (no guest buffers and the backlog full, or a buffer too small)', 'counter', (s) => s.io?.net?.rxDropped ?? 0);
    perNode('unum_node_frames_used', 'guest frames the node holds', 'gauge', (s) => s.mem.framesUsed);
    perNode('unum_node_frames', 'guest frames the node may hold', 'gauge', (s) => s.mem.frames);
    perNode('unum_node_memory_used_bytes', 'guest memory the node holds (frames used × 4 KiB)', 'gauge', (s) => s.mem.framesUsed * 4096);
    perNode('unum_node_rss_bytes', 'resident set size of the agent process', 'gauge', (s) => s.mem.rssBytes);
    perNode('unum_node_swap_bytes', 'swapped-out memory of the agent process (VmSwap)', 'gauge', (s) => s.mem.swapBytes);
    fromSnapshots(new Counter({ name: 'unum_dsm_messages_sent_total', help: 'DSM messages the node sent, by type', labelNames: ['vm', 'node', 'name', 'type'], registers: r }),
      (set, snap) => {
        for (const n of snap.nodes) {
          for (const [type, v] of Object.entries(n.sample?.dsm.messagesByType ?? {})) set({ vm: snap.info.id, node: String(n.node), name: n.name, type }, v);
        }
      }, snaps);
    fromSnapshots(new Gauge({ name: 'unum_node_up', help: '1 while the node is joined and heartbeating', labelNames: ['vm', 'node', 'name'], registers: r }),
      (set, snap) => { for (const n of snap.nodes) set({ vm: snap.info.id, node: String(n.node), name: n.name }, n.alive ? 1 : 0); }, snaps);
    fromSnapshots(new Gauge({ name: 'unum_node_heartbeat_age_seconds', help: 'time since the node was last heard from', labelNames: ['vm', 'node', 'name'], registers: r }),
      (set, snap) => { for (const n of snap.nodes) set({ vm: snap.info.id, node: String(n.node), name: n.name }, n.heartbeatMsAgo / 1000); }, snaps);
    fromSnapshots(new Counter({ name: 'unum_vcpu_instructions_total', help: 'guest instructions retired', labelNames: ['vm', 'node', 'hart'], registers: r }),
      (set, snap) => {
        for (const n of snap.nodes) for (const h of n.sample?.harts ?? []) set({ vm: snap.info.id, node: String(n.node), hart: String(h.hart) }, Number(h.instret));
      }, snaps);
    fromSnapshots(new Gauge({ name: 'unum_vcpu_state', help: '1 for the state the vCPU is in (running, wfi, stalled on a page fault, paused, halted)', labelNames: ['vm', 'node', 'hart', 'state'], registers: r }),
      (set, snap) => {
        for (const n of snap.nodes) for (const h of n.sample?.harts ?? []) set({ vm: snap.info.id, node: String(n.node), hart: String(h.hart), state: h.state }, 1);
      }, snaps);
    this.registry.registerMetric(new LatencyHistogram('unum_dsm_fault_latency_seconds', 'time to resolve a DSM fault on the node', snaps) as never);
  }

  update(snap: VmSnapshot): void {
    if (snap.nodes.some((n) => n.sample)) this.latest.set(snap.info.id, snap);
    else {
      const last = this.latest.get(snap.info.id);
      if (last) this.latest.set(snap.info.id, { ...last, info: snap.info, nodes: last.nodes.map((n, i) => ({ ...n, alive: snap.nodes[i]?.alive ?? false })) });
    }
  }

  forget(vmId: string): void {
    this.latest.delete(vmId);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
