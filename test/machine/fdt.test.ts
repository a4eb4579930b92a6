// The generated device tree, decompiled by dtc, against what guests expect
// from QEMU virt (and against QEMU's own tree when qemu is installed).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fdtAddress, virtFdtBlob } from '@unum/machine';
import { GUESTS, needTool } from './tools.js';

const RAM = { base: 0x8000_0000, size: 128 * 2 ** 20 };
const dir = mkdtempSync(join(tmpdir(), 'unum-fdt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function dts(blob: Uint8Array): string {
  const file = join(dir, `t${Math.random().toString(36).slice(2)}.dtb`);
  writeFileSync(file, blob);
  const r = spawnSync('dtc', ['-q', '-I', 'dtb', '-O', 'dts', file], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

/** The body of node `name` (first match) in dtc output, up to its closing brace. */
function nodeBody(text: string, name: string): string {
  const start = text.indexOf(`\t${name} {`);
  expect(start, `node ${name}`).toBeGreaterThanOrEqual(0);
  const indent = /\t*/.exec(text.slice(text.lastIndexOf('\n', start) + 1))![0];
  const end = text.indexOf(`\n${indent}};`, start);
  return text.slice(start, end);
}

describe.skipIf(!needTool('dtc'))('FDT generator (dtc)', () => {
  it('decompiles to a QEMU-virt-shaped tree with NUMA for 2 harts', () => {
    const text = dts(virtFdtBlob({ harts: 2, ram: RAM, bootargs: 'console=ttyS0 quiet' }));
    expect(text).toContain('compatible = "riscv-virtio";');
    const chosen = nodeBody(text, 'chosen');
    expect(chosen).toContain('bootargs = "console=ttyS0 quiet";');
    expect(chosen).toContain('stdout-path = "/soc/serial@10000000";');
    const mem = nodeBody(text, 'memory@80000000');
    expect(mem).toContain('device_type = "memory";');
    expect(mem).toContain('reg = <0x00 0x80000000 0x00 0x8000000>;');
    expect(mem).toContain('numa-node-id = <0x00>;');
    const cpus = nodeBody(text, 'cpus');
    expect(cpus).toContain('timebase-frequency = <0x989680>;');
    for (const h of [0, 1]) {
      const cpu = nodeBody(text, `cpu@${h}`);
      expect(cpu).toContain(`reg = <0x0${h}>;`);
      expect(cpu).toContain('device_type = "cpu";');
      expect(cpu).toContain('status = "okay";');
      expect(cpu).toContain('compatible = "riscv";');
      expect(cpu).toContain('riscv,isa = "rv64imafdc_zicsr_zifencei_zihintpause_sstc";');
      expect(cpu).toContain('riscv,isa-extensions = "i\\0m\\0a\\0f\\0d\\0c\\0zicntr\\0zicsr\\0zifencei\\0zihintpause\\0sstc";');
      expect(cpu).toContain('mmu-type = "riscv,sv39";');
      expect(cpu).toContain('numa-node-id = <0x00>;');
      expect(cpu).toContain('compatible = "riscv,cpu-intc";');
    }
    expect(nodeBody(text, 'distance-map')).toContain('distance-matrix = <0x00 0x00 0x0a>;');
    const uart = nodeBody(text, 'serial@10000000');
    expect(uart).toContain('compatible = "ns16550a";');
    expect(uart).toContain('interrupts = <0x0a>;');
    expect(uart).toContain('clock-frequency = "\\08@";'); // 3686400: dtc shows these 4 bytes as text
    // phandles: cpu-intc of hart h = h+1, PLIC = 3, test = 4, cpu h = 5+h
    expect(uart).toContain('interrupt-parent = <0x03>;');
    expect(nodeBody(text, 'core1')).toContain('cpu = <0x06>;');
    expect(nodeBody(text, 'rtc@101000')).toContain('interrupt-parent = <0x03>;');
    const plic = nodeBody(text, 'plic@c000000');
    expect(plic).toContain('interrupts-extended = <0x01 0x0b 0x01 0x09 0x02 0x0b 0x02 0x09>;');
    expect(plic).toContain('reg = <0x00 0xc000000 0x00 0x600000>;');
    expect(nodeBody(text, 'clint@2000000')).toContain('interrupts-extended = <0x01 0x03 0x01 0x07 0x02 0x03 0x02 0x07>;');
    expect(nodeBody(text, 'test@100000')).toContain('compatible = "sifive,test1\\0sifive,test0\\0syscon";');
    expect(nodeBody(text, 'poweroff')).toContain('value = <0x5555>;');
  });

  it('writes one memory node per NUMA node, node ids on cpus, and the distance matrix', () => {
    const half = RAM.size / 2;
    const text = dts(virtFdtBlob({
      harts: 2, ram: RAM, bootargs: '',
      numa: {
        nodes: 2, hartNode: [0, 1],
        memory: [{ base: RAM.base, size: half, node: 0 }, { base: RAM.base + half, size: half, node: 1 }],
        distance: [[10, 40], [40, 10]],
      },
    }));
    expect(nodeBody(text, 'memory@80000000')).toContain('numa-node-id = <0x00>;');
    const upper = nodeBody(text, 'memory@84000000');
    expect(upper).toContain('reg = <0x00 0x84000000 0x00 0x4000000>;');
    expect(upper).toContain('numa-node-id = <0x01>;');
    expect(nodeBody(text, 'cpu@1')).toContain('numa-node-id = <0x01>;');
    expect(nodeBody(text, 'distance-map'))
      .toContain('distance-matrix = <0x00 0x00 0x0a 0x00 0x01 0x28 0x01 0x00 0x28 0x01 0x01 0x0a>;');
  });

  it('places the blob like QEMU: 2 MiB aligned below the end of RAM', () => {
    expect(fdtAddress(RAM, 1500)).toBe(0x87e0_0000);
    expect(fdtAddress({ base: 0x8000_0000, size: 4 * 2 ** 30 }, 1500)).toBe(0xbfe0_0000); // capped at 3 GiB
  });

  it.skipIf(!needTool('qemu-system-riscv64'))('matches QEMU virt\'s dumpdtb on every node unum models (phandles normalised)', () => {
    const dtb = join(dir, 'qemu.dtb');
    const initrd = join(dir, 'initrd.gz');
    writeFileSync(initrd, Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
    const q = spawnSync('qemu-system-riscv64', ['-M', `virt,dumpdtb=${dtb}`, '-smp', '2', '-m', '128M', '-bios', 'none', '-nographic',
      '-append', 'console=ttyS0', '-initrd', initrd, '-kernel', join(GUESTS, 'hello.elf')], { encoding: 'utf8' });
    expect(q.status, q.stderr).toBe(0);
    const theirs = dts(readFileSync(dtb));
    const ours = dts(virtFdtBlob({ harts: 2, ram: RAM, bootargs: 'console=ttyS0', initrd: { start: 0x8400_0000, end: 0x8400_0014 }, rngSeed: new Uint8Array(64) }));
    // phandle numbers differ: name what each points at instead (its node name, by phandle)
    const normalise = (t: string): string => {
      const names = new Map<string, string>();
      const path: string[] = [];
      for (const line of t.split('\n')) {
        const open = /^(\t*)([^\s]+) \{$/.exec(line);
        if (open) path.splice(open[1]!.length, Infinity, open[2]!);
        const ph = /^\t*phandle = <(0x[0-9a-f]+)>;$/.exec(line);
        if (ph) names.set(ph[1]!, path.join('/'));
      }
      const nameOf = (x: string): string => names.get(x) ?? `?${x}`;
      return t.split('\n').filter((l) => !/^\t*phandle = /.test(l)).map((l) => {
        const m = /^(\t*)(interrupt-parent|regmap|cpu|interrupts-extended) = <([^>]*)>;$/.exec(l);
        if (!m) return l;
        const cells = m[3]!.split(' ').map((c, i) => (m[2] !== 'interrupts-extended' || i % 2 === 0 ? nameOf(c) : c));
        return `${m[1]}${m[2]} = <${cells.join(' ')}>;`;
      }).join('\n');
    };
    const q7 = normalise(theirs);
    const mine = normalise(ours);
    const lines = (t: string, n: string): string[] => nodeBody(t, n).split('\n').slice(1).map((l) => l.trim()).filter((l) => l && !l.endsWith('{') && l !== '};').sort();
    // What QEMU 7.2 says differently, on purpose (docs/machine.md): it has H and Zb*, sv48, 96 PLIC sources,
    // a 32-bit initrd bound and its own random seed; unum adds NUMA ids and riscv,isa-base/-extensions.
    const differs = /^(riscv,isa|mmu-type|riscv,ndev|linux,initrd-|rng-seed|numa-node-id|riscv,isa-base|riscv,isa-extensions)/;
    for (const n of ['memory@80000000', 'cpu@0', 'cpu@1', 'interrupt-controller', 'cpu-map', 'cluster0', 'core0', 'core1', 'chosen', 'poweroff', 'reboot',
      'serial@10000000', 'plic@c000000', 'clint@2000000', 'test@100000', 'rtc@101000', ...[1, 2, 3, 4, 5, 6, 7, 8].map((i) => `virtio_mmio@1000${i}000`)]) {
      const want = lines(q7, n).filter((l) => !differs.test(l));
      const have = lines(mine, n).filter((l) => !differs.test(l));
      expect(have, n).toEqual(want);
    }
    for (const n of ['cpu@0', 'cpu@1']) {
      expect(nodeBody(theirs, n)).toContain('riscv,isa = "rv64imafdch_zicsr_zifencei_zihintpause_zba_zbb_zbc_zbs_sstc";');
      expect(nodeBody(ours, n)).toContain('riscv,isa = "rv64imafdc_zicsr_zifencei_zihintpause_sstc";');
    }
    expect(nodeBody(theirs, 'chosen')).toContain('linux,initrd-start = <0x');
    expect(nodeBody(ours, 'chosen')).toMatch(/rng-seed = <(0x00 ){15}0x00>;/);
  });
});
