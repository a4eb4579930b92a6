import { describe, expect, it } from 'vitest';
import { ioSnapshot } from '../test-support/io-snapshot.js';
import { VmMetrics } from './vm-metrics.js';

describe('VmMetrics', () => {
  it('exports the device node\'s virtio requests and the DSM faults and messages their DMA caused', async () => {
    const m = new VmMetrics();
    m.update(ioSnapshot(1000, 600, 3000));
    const text = await m.text();
    expect(text).toContain('unum_io_requests_total{vm="vm",node="0",name="n0"} 600');
    expect(text).toContain('unum_io_dsm_faults_total{vm="vm",node="0",name="n0"} 5');
    expect(text).toContain('unum_io_dsm_messages_total{vm="vm",node="0",name="n0"} 3000');
    expect(text).toContain('unum_io_requests_total{vm="vm",node="1",name="n1"} 0');
    expect(text).toContain('unum_net_rx_frames_total{vm="vm",node="0",name="n0"} 40');
    expect(text).toContain('unum_net_tx_frames_total{vm="vm",node="0",name="n0"} 30');
    expect(text).toContain('unum_net_rx_dropped_total{vm="vm",node="0",name="n0"} 1');
  });
});
