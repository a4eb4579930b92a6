/** A 2-node VmSnapshot for dashboard/metrics tests: node 0 is the device node with the given virtio counters (and one NIC's). */
import type { NodeSample } from '@unum/node-agent';
import type { VmSnapshot } from '../telemetry/vm-telemetry.js';

const info = { id: 'vm', state: 'running', protocol: 'ivy-dynamic', unitBytes: 4096, memBytes: 1 << 20, units: 256, vcpus: 1, nodeNames: ['n0', 'n1'], hartNode: [1] };

function sample(node: number, requests: number, dsmMessages: number): NodeSample {
  return {
    node, harts: [],
    dsm: {
      readFaults: 0, writeFaults: 0, invalidationsSent: 0, invalidationsReceived: 0, messagesSent: 0, messagesReceived: 0,
      bytesSent: 0, bytesReceived: 0, messagesByType: {}, latencyBucketsUs: [], latencyCounts: [], latencySumUs: 0,
    },
    mem: { framesUsed: 0, frames: 0, rssBytes: 0, swapBytes: 0 }, map: { cells: 1, unitsPerCell: 256 },
    io: node === 0 ? {
      requests, dmaReads: 0, dmaWrites: 0, dmaReadBytes: 0, dmaWriteBytes: 0, readFaults: 3, writeFaults: 2, dsmMessages, dsmBytes: 0,
      net: { rxFrames: 40, rxBytes: 60_000, txFrames: 30, txBytes: 2_000, rxDropped: 1 },
    } : undefined,
  };
}

/** At time `t` (ms), node 0 has completed `requests` virtio requests whose DMA caused `messages` DSM messages. */
export const ioSnapshot = (t: number, requests: number, messages: number): VmSnapshot => ({
  t, info, cells: 1, unitsPerCell: 256,
  nodes: [0, 1].map((node) => ({ node, name: `n${node}`, alive: true, heartbeatMsAgo: 0, sample: sample(node, requests, messages) })),
});
