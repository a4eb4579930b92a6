import { constants, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SwapFile, SwapFull } from './swap-file.js';
import { SwapDevice } from './swap-device.js';

const dir = mkdtempSync(join(tmpdir(), 'swapfile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const page = (seed: number): Uint8Array => Uint8Array.from({ length: 4096 }, (_, i) => (i * 7 + seed) & 0xff);

async function roundTrip(swap: SwapFile): Promise<void> {
  const slots = [];
  for (let s = 0; s < 20; s++) slots.push(await swap.write(page(s)));
  swap.free(slots[3]!);
  const reused = await swap.write(page(99));
  expect(reused).toBe(slots[3]); // freed slots come back first
  await Promise.all(slots.map(async (slot, s) => {
    expect(await swap.read(slot)).toEqual(page(slot === reused ? 99 : s));
  }));
  expect(swap.stats.writes).toBe(21);
  expect(swap.slotsUsed).toBe(20);
}

describe('SwapFile', () => {
  it('O_DIRECT on a disk filesystem: data comes back exact, slots are reused', async () => {
    const swap = await SwapFile.open(join(dir, 'direct.swap'), { slotBytes: 4096 });
    expect(swap.direct).toBe(true); // ext4/xfs accept O_DIRECT with aligned buffers
    expect(existsSync(join(dir, 'direct.swap')), 'unlinked at open: a killed agent leaves no file').toBe(false);
    await roundTrip(swap);
    await swap.close();
    expect(existsSync(join(dir, 'direct.swap'))).toBe(false);
  });

  it('falls back without O_DIRECT where the filesystem refuses it (EINVAL, as older tmpfs does), and says why', async () => {
    const flagsTried: number[] = [];
    const refusesDirect = async (p: string, flags: number, mode: number) => {
      flagsTried.push(flags);
      if (flags & constants.O_DIRECT) throw Object.assign(new Error('EINVAL: invalid argument, open'), { code: 'EINVAL' });
      return open(p, flags, mode);
    };
    const swap = await SwapFile.open(join(dir, 'fallback.swap'), { slotBytes: 4096, opener: refusesDirect });
    expect(flagsTried.map((f) => (f & constants.O_DIRECT) !== 0)).toEqual([true, false]);
    expect(swap.direct).toBe(false);
    expect(swap.fallbackReason).toMatch(/EINVAL/);
    expect(existsSync(join(dir, 'fallback.swap'))).toBe(false);
    await roundTrip(swap);
    await swap.close();
    const other = await SwapFile.open(join(dir, 'eacces.swap'), {
      slotBytes: 4096, opener: async () => { throw Object.assign(new Error('EACCES'), { code: 'EACCES' }); },
    }).catch((e: Error) => e);
    expect(String(other)).toMatch(/EACCES/); // only EINVAL means "no O_DIRECT here"
  });

  it('multi-page slots, a size cap, and bad sizes are refused', async () => {
    const swap = await SwapFile.open(join(dir, 'big.swap'), { slotBytes: 16384, maxSlots: 1 });
    const data = Uint8Array.from({ length: 16384 }, (_, i) => i & 0xff);
    const slot = await swap.write(data);
    expect(await swap.read(slot)).toEqual(data);
    await expect(swap.write(data)).rejects.toBeInstanceOf(SwapFull);
    await expect(swap.write(new Uint8Array(100))).rejects.toThrow(/slot is 16384/);
    await swap.close();
    await expect(SwapFile.open(join(dir, 'odd.swap'), { slotBytes: 1000 })).rejects.toThrow(/4 KiB/);
  });
});

describe('SwapDevice', () => {
  it('hdd: a random access costs a seek, the next slot only a transfer; accesses run one at a time in order', async () => {
    const hdd = SwapDevice.create('hdd');
    expect(hdd.latencyNs(10)).toBe(5_000_000);
    const order: number[] = [];
    const t0 = performance.now();
    await Promise.all([10, 11, 40].map((slot) => hdd.access(slot, async () => { order.push(slot); })));
    const ms = performance.now() - t0;
    expect(order).toEqual([10, 11, 40]);
    expect(hdd.addedNs).toBe(5_000_000 + 100_000 + 5_000_000);
    expect(ms).toBeGreaterThanOrEqual(10);
    expect(SwapDevice.create('real').latencyNs(3)).toBe(0);
    expect(SwapDevice.create('nvme').latencyNs(3)).toBe(20_000);
  });
});
