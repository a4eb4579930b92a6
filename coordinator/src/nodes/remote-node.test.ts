import type { CoordinatorMessage, Hello } from '@unum/protos/cluster';
import { describe, expect, it } from 'vitest';
import { RemoteNode, type JoinStream } from './remote-node.js';

const hello: Hello = { name: 'a0', advertise: '127.0.0.1:1', memBytes: 1n << 24n, cores: 1, bootId: '', pid: 1, swapBytes: 0n };

function node(timeoutMs: number): { n: RemoteNode; sent: CoordinatorMessage[] } {
  const sent: CoordinatorMessage[] = [];
  const stream = { write: (m: CoordinatorMessage) => sent.push(m), end: () => undefined } as unknown as JoinStream;
  return { n: new RemoteNode(1, hello, stream, timeoutMs), sent };
}

describe('RemoteNode heartbeat watchdog', () => {
  it('one late heartbeat makes the node suspect and probed, not lost (the 1297 ms > 1200 ms case)', () => {
    const { n, sent } = node(1200);
    const t0 = n.lastHeard;
    expect(n.checkHeartbeat(t0 + 1297)).toBe(false);
    expect(n.suspect).toBe(true);
    expect(sent.map((m) => m.kind?.$case)).toEqual(['probe']);
    n.receive({ kind: { $case: 'heartbeat', value: {} } }); // the late heartbeat, or the probe's answer
    expect(n.checkHeartbeat(performance.now() + 100)).toBe(false);
    expect(n.suspect).toBe(false);
    expect(n.lostReason).toBeUndefined();
  });

  it('still quiet half a timeout after the probe: lost, naming both waits', () => {
    const { n } = node(1000);
    const t0 = n.lastHeard;
    expect(n.checkHeartbeat(t0 + 1100)).toBe(false);
    expect(n.checkHeartbeat(t0 + 1500)).toBe(false);
    expect(n.checkHeartbeat(t0 + 1700)).toBe(true);
    expect(n.lostReason).toMatch(/^no heartbeat for 1700 ms, nor an answer to a probe within 600 ms$/);
  });

  it('quiet within the timeout is fine', () => {
    const { n, sent } = node(2000);
    expect(n.checkHeartbeat(n.lastHeard + 1999)).toBe(false);
    expect(sent).toHaveLength(0);
  });
});
