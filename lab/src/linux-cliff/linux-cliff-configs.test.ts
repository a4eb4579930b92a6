import { describe, expect, it } from 'vitest';
import { linuxCliffArgv, linuxCliffConfigs, swapBytes, type LinuxCliffOptions } from './linux-cliff-configs.js';

const MiB = 2 ** 20;
const o: LinuxCliffOptions = { sizes: [64 * MiB], nodeMem: 48 * MiB, nodes: 2, vcpus: 2, iters: 1, repeat: 2, out: '/o', unumBin: 'unum.js',
  repo: '/r', kernel: 'Image', initramfs: 'i.cpio.gz', timeoutMs: 1000 };
const files = { initrd: '/s/initrd', swapFile: '/s/x.swap', stats: '/s/x.json' };

describe('linux-cliff configurations', () => {
  it('(a) holds N x node memory on one node, (b) is capped with a swap disk, (c) spreads the same RAM over N capped nodes', () => {
    const cs = linuxCliffConfigs(o);
    expect(cs.map((c) => `${c.kind}/${c.rep}`)).toEqual(['baseline/0', 'linux-swap/0', 'dsm/0', 'baseline/1', 'linux-swap/1', 'dsm/1']);
    const [a, b, c] = cs.slice(0, 3).map((k) => linuxCliffArgv(o, k, files).join(' '));
    expect(a).toMatch(/--nodes 1 --vcpus 2 --mem 96M /);
    expect(a).not.toMatch(/--drive|--node-mem|unum-swapon/);
    expect(b).toMatch(/--nodes 1 --vcpus 2 --mem 48M --drive file=\/s\/x.swap,format=raw /);
    expect(b).toContain('unum.run="unum-swapon /dev/vda && memscan size=64M iters=1 scope=local && grep -E');
    expect(c).toMatch(/--nodes 2 --vcpus 2 --mem 96M --node-mem 48M .*--page-placement first-touch/);
    expect(c).not.toMatch(/--drive|unum-swapon/);
    expect(swapBytes(64 * MiB)).toBe(128 * MiB);
  });
});
