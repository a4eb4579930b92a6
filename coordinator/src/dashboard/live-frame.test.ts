import { describe, expect, it } from 'vitest';
import { ioSnapshot } from '../test-support/io-snapshot.js';
import { liveFrame } from './live-frame.js';

describe('dashboard live frame', () => {
  it('shows the device node\'s virtio requests and the DSM messages their DMA caused, per second', () => {
    const f = liveFrame(ioSnapshot(3000, 600, 3000), ioSnapshot(1000, 200, 1000), 0, new Uint8Array(1), new Float64Array(1));
    expect(f.nodes[0]!.rates).toMatchObject({ ioRequests: 200, ioDsmMessages: 1000 });
    expect(f.nodes[1]!.rates).toMatchObject({ ioRequests: 0, ioDsmMessages: 0 });
  });
});
