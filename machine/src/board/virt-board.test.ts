import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeviceBus } from '../bus/device-bus.js';
import { NoDevice } from '../bus/mmio-bus.js';
import { node, prop } from '../fdt/fdt-blob.js';
import { virtFdtBlob } from '../fdt/virt-fdt.js';
import { clint } from '../devices/clint.js';
import { unitName, type DeviceKind, type MmioDevice } from '../devices/device.js';
import { cells, fdtPath, readFdt, strings } from '../test-support/fdt-reader.js';
import { CLINT_BASE, UART_BASE } from './memory-map.js';
import { Board } from './board.js';
import { decodeClint, isClint, virtBoard } from './virt-board.js';

// ---- the toy device: one file's worth (model + how it appears in the tree) ----
class Scratch implements MmioDevice {
  readonly name = 'scratch';
  readonly seen: Array<[string, number, number]> = [];
  private readonly words = new Map<number, bigint>();
  read(offset: number, size: number): bigint {
    this.seen.push(['r', offset, size]);
    return this.words.get(offset) ?? 0n;
  }
  write(offset: number, size: number, value: bigint): void {
    this.seen.push(['w', offset, size]);
    this.words.set(offset, value);
  }
}
const made: Scratch[] = [];
const scratch: DeviceKind = {
  name: 'scratch',
  create: () => {
    const d = new Scratch();
    made.push(d);
    return d;
  },
  fdt: (at, refs) => node(unitName('scratch', at.base), [
    ['interrupts', prop.u32(at.irq!)],
    ['interrupt-parent', prop.u32(refs.irqParent)],
    ['reg', prop.u64(at.base, at.size)],
    ['compatible', prop.str('unum,scratch')],
  ]),
};
// ---- end of the toy device ----

const RAM = { base: 0x8000_0000, size: 128 * 2 ** 20 };
const ctx = () => ({
  harts: 2,
  console: { write: () => {}, onInput: () => {} },
  hartExternalIrq: () => {},
  finish: () => {},
});

function dtc(blob: Uint8Array): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'unum-board-'));
  try {
    writeFileSync(join(dir, 'b.dtb'), blob);
    const r = spawnSync('dtc', ['-q', '-I', 'dtb', '-O', 'dts', join(dir, 'b.dtb')], { encoding: 'utf8' });
    return r.status === 0 ? r.stdout : undefined; // no dtc: the reader below is enough
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the board', () => {
  it('a device added in one line appears in the device tree and on the bus', async () => {
    const [SLOT_BASE, SLOT_SIZE, SLOT_IRQ] = [0x1010_0000, 0x1000, 12]; // free on unum (QEMU's fw_cfg address)
    const board = virtBoard().with({ device: scratch, base: SLOT_BASE, size: SLOT_SIZE, irq: SLOT_IRQ });

    const blob = virtFdtBlob({ harts: 2, ram: RAM, bootargs: '', board });
    const tree = readFdt(blob);
    const n = fdtPath(tree, `/soc/scratch@${SLOT_BASE.toString(16)}`);
    expect(n, 'node under /soc').toBeDefined();
    expect(strings(n!.props.get('compatible')!)).toEqual(['unum,scratch']);
    expect(cells(n!.props.get('reg')!)).toEqual([0, SLOT_BASE, 0, SLOT_SIZE]);
    expect(cells(n!.props.get('interrupts')!)).toEqual([SLOT_IRQ]);
    const plicPhandle = cells(fdtPath(tree, '/soc/plic@c000000')!.props.get('phandle')!)[0];
    expect(cells(n!.props.get('interrupt-parent')!)).toEqual([plicPhandle]);
    const text = dtc(blob);
    if (text !== undefined) expect(text).toContain(`scratch@${SLOT_BASE.toString(16)} {`);

    made.length = 0;
    const bus = new DeviceBus(ctx(), board);
    expect(made).toHaveLength(1);
    await bus.write(SLOT_BASE + 0x18, 8, 0x1234n);
    expect(await bus.read(SLOT_BASE + 0x18, 8)).toBe(0x1234n);
    expect(bus.readSync(SLOT_BASE + 4, 4)).toBe(0n);
    expect(made[0]!.seen).toEqual([['w', 0x18, 8], ['r', 0x18, 8], ['r', 4, 4]]);
    await expect(bus.read(SLOT_BASE + SLOT_SIZE + 0x10, 4)).rejects.toBeInstanceOf(NoDevice);

    // the board it was copied from is untouched
    expect(virtBoard().find(scratch)).toBeUndefined();
    expect(readFdt(virtFdtBlob({ harts: 2, ram: RAM, bootargs: '' })).children.find((c) => c.name === 'soc')!
      .children.map((c) => c.name)).toEqual(['test@100000', 'rtc@101000', 'serial@10000000',
      ...[8, 7, 6, 5, 4, 3, 2, 1].map((i) => `virtio_mmio@1000${i}000`), 'plic@c000000', 'clint@2000000']);
  });

  it('rejects overlapping windows and a second interrupt controller', () => {
    expect(() => virtBoard().with({ device: scratch, base: UART_BASE + 0x80, size: 0x100 })).toThrow(/overlaps uart/);
    const plicLine = virtBoard().placements.find((p) => p.device.role === 'interrupt-controller')!;
    expect(() => virtBoard().with({ ...plicLine, base: 0x3000_0000 })).toThrow(/interrupt controller/);
    expect(() => new Board([{ device: scratch, base: 0x1000, size: 0 }])).toThrow(RangeError);
  });

  it('puts the CLINT in the tree but not on the bus; its registers decode by address', async () => {
    const bus = new DeviceBus(ctx());
    expect(bus.find(CLINT_BASE)).toBeUndefined();
    expect(virtBoard().get(clint).base).toBe(CLINT_BASE);
    expect(isClint(CLINT_BASE + 0xbff8)).toBe(true);
    expect(isClint(CLINT_BASE - 4)).toBe(false);
    expect(decodeClint(CLINT_BASE + 4)).toEqual({ reg: 'msip', hart: 1 });
    expect(decodeClint(CLINT_BASE + 0x4008 + 4)).toEqual({ reg: 'mtimecmp', hart: 1, high: true });
    expect(decodeClint(CLINT_BASE + 0xbffc)).toEqual({ reg: 'mtime', high: true });
    expect(decodeClint(CLINT_BASE - 4)).toEqual({ reg: 'none' });
  });
});
