import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cells, fdtPath, readFdt, strings } from '../test-support/fdt-reader.js';
import { RISCV_ISA, RISCV_ISA_EXTENSIONS, virtFdtBlob } from './virt-fdt.js';

const RAM = { base: 0x8000_0000, size: 128 * 2 ** 20 };
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

describe('virt device tree', () => {
  // Pinned so a change to the tree is a deliberate one (last: issue 14 added the
  // goldfish RTC, the ISA extensions, cpu phandles and /cpus/cpu-map; issue 15 the 8 virtio_mmio nodes).
  it('is the same bytes for the same config', () => {
    expect(sha(virtFdtBlob({ harts: 1, ram: RAM, bootargs: 'console=ttyS0' })))
      .toBe(sha(virtFdtBlob({ harts: 1, ram: RAM, bootargs: 'console=ttyS0' })));
    expect(sha(virtFdtBlob({ harts: 2, ram: RAM, bootargs: 'console=ttyS0' })))
      .toBe('f1dae0c6c133951db0f95273beb0081c80c757b163a94826300616039bae92d6');
  });

  it('describes the engine ISA, the cpu-map, the RTC and /chosen (initrd, rng-seed)', () => {
    const seed = new Uint8Array(64).fill(7);
    const t = readFdt(virtFdtBlob({ harts: 3, ram: RAM, bootargs: 'x', initrd: { start: 0x8700_0000, end: 0x8734_5678 }, rngSeed: seed,
      numa: { nodes: 2, hartNode: [0, 1, 0], memory: [{ ...RAM, node: 0 }] } }));
    const cpu = fdtPath(t, '/cpus/cpu@2')!;
    expect(strings(cpu.props.get('riscv,isa')!)).toEqual([RISCV_ISA]);
    expect(RISCV_ISA).toBe('rv64imafdc_zicsr_zifencei_zihintpause_sstc');
    expect(strings(cpu.props.get('riscv,isa-extensions')!)).toEqual(RISCV_ISA_EXTENSIONS);
    const ph = (h: number): number => cells(fdtPath(t, `/cpus/cpu@${h}`)!.props.get('phandle')!)[0]!;
    // one cluster per NUMA node, cores numbered inside it
    expect(cells(fdtPath(t, '/cpus/cpu-map/cluster0/core0')!.props.get('cpu')!)).toEqual([ph(0)]);
    expect(cells(fdtPath(t, '/cpus/cpu-map/cluster0/core1')!.props.get('cpu')!)).toEqual([ph(2)]);
    expect(cells(fdtPath(t, '/cpus/cpu-map/cluster1/core0')!.props.get('cpu')!)).toEqual([ph(1)]);
    const chosen = fdtPath(t, '/chosen')!;
    expect(cells(chosen.props.get('linux,initrd-start')!)).toEqual([0, 0x8700_0000]);
    expect(cells(chosen.props.get('linux,initrd-end')!)).toEqual([0, 0x8734_5678]);
    expect([...chosen.props.get('rng-seed')!]).toEqual([...seed]);
    const rtc = fdtPath(t, '/soc/rtc@101000')!;
    expect(strings(rtc.props.get('compatible')!)).toEqual(['google,goldfish-rtc']);
    expect(cells(rtc.props.get('interrupts')!)).toEqual([11]);
  });
});
