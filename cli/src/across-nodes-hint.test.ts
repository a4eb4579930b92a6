import { describe, expect, it } from 'vitest';
import { acrossNodesHint } from './across-nodes-hint.js';

const two = { kind: 'embedded', nodes: 2 } as const;

describe('acrossNodesHint', () => {
  it('names nohz_full for the vCPUs of a Linux boot on several nodes', () => {
    expect(acrossNodesHint(true, 'console=hvc0', 4, two)).toMatch(/nohz_full=1-3 in --append \(and isolcpus=domain,1-3 /);
    expect(acrossNodesHint(true, 'console=hvc0', 2, { kind: 'cluster', address: 'h:1', detach: false })).toContain('nohz_full=1-1');
  });
  it('stays quiet with nohz_full given, one node, one vCPU, or a bare-metal ELF', () => {
    expect(acrossNodesHint(true, 'console=hvc0 nohz_full=1', 2, two)).toBeUndefined();
    expect(acrossNodesHint(true, 'console=hvc0', 2, { kind: 'embedded', nodes: 1 })).toBeUndefined();
    expect(acrossNodesHint(true, 'console=hvc0', 2, { kind: 'local' })).toBeUndefined();
    expect(acrossNodesHint(true, 'console=hvc0', 1, two)).toBeUndefined();
    expect(acrossNodesHint(false, '', 2, two)).toBeUndefined();
  });
});
