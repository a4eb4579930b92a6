import { describe, expect, it } from 'vitest';
import { failureLine, labRunArgv } from './lab-run.js';

describe('one lab run', () => {
  it('names why a run failed: the guest error or trap line, else unum\'s line, else the last output', () => {
    expect(failureLine("hello\nerror: unknown argument 'bogus'\n", 'unum: 2 node(s), 2 vcpu(s), ...\n')).toBe("error: unknown argument 'bogus'");
    expect(failureLine('TRAP hart=1 cause=0x2 (illegal instruction)\n', '')).toMatch(/^TRAP hart=1/);
    expect(failureLine('', 'unum: 2 node(s), 2 vcpu(s): stopped\nunum: node 1 (node1) failed: link down\n')).toBe('unum: node 1 (node1) failed: link down');
    expect(failureLine('last words\n', '')).toBe('last words');
    expect(failureLine('', '')).toBe('no output');
  });

  it('builds the unum run command line, with --link-latency only when there is one', () => {
    const c = { workload: 'matmul', args: 'n=16 iters=1', protocol: 'ivy-fixed', knobs: {}, variant: 'ivy-fixed', unit: '64K', unitBytes: 65536, nodes: 2, vcpus: 2,
      linkLatency: '0', pagePlacement: 'first-touch', repeat: 0, seed: 1 };
    const env = { unumArgv: ['node', 'unum.js'], guestDir: '/g', scratchDir: '/s', mem: '64M', timeoutMs: 1000, placement: 'rr', hotTop: 4 };
    const argv = labRunArgv(c, env, '/s/x.json');
    expect(argv.join(' ')).toBe('node unum.js run /g/matmul.elf --nodes 2 --vcpus 2 --mem 64M --placement rr --protocol ivy-fixed --unit 64K ' +
      '--page-placement first-touch --stats /s/x.json -- n=16 iters=1');
    expect(labRunArgv({ ...c, linkLatency: '50us' }, env, '/s/x.json')).toContain('--link-latency');
  });

  it('passes the run\'s set knobs as unum run flags', () => {
    const c = { workload: 'falseshare', args: 'count=500', protocol: 'home-based+mirage', knobs: { mirageMs: 0.25, homeMigrateAfter: 8 },
      variant: 'x', unit: '4K', unitBytes: 4096, nodes: 2, vcpus: 2, linkLatency: '0', pagePlacement: 'node0', repeat: 0, seed: 1 };
    const env = { unumArgv: ['node', 'unum.js'], guestDir: '/g', scratchDir: '/s', mem: '64M', timeoutMs: 1000, placement: 'rr', hotTop: 4 };
    expect(labRunArgv(c, env, '/s/x.json').join(' ')).toContain('--stats /s/x.json --mirage-ms 0.25 --home-migrate-after 8 -- count=500');
  });
});
