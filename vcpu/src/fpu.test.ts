// Bit-exact check of the wasm FPU (vcpu/assembly/fpu) against golden vectors
// recorded on QEMU's RISC-V FPU: every F/D operation x rounding mode on
// tricky and seeded-random inputs, results and fflags.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFpu, type FpuExports } from '../fpu-test/load.js';
import {
  haveToolchain, parseVectors, readGolden, regenerate, runPublic, runSoft, soak, type Vector,
} from '../fpu-test/vectors.js';

const hex = (x: bigint | number) => x.toString(16);

function mismatches(vs: Vector[], run: (v: Vector) => [bigint, number] | null): string[] {
  const bad: string[] = [];
  let ran = 0;
  for (const v of vs) {
    const got = run(v);
    if (got === null) continue;
    ran++;
    const [r, f] = got;
    if (r !== v.result || f !== v.flags) {
      bad.push(`${v.op} rm=${v.rm} a=${hex(v.a)} b=${hex(v.b)} c=${hex(v.c)}: ` +
        `want ${hex(v.result)}/${hex(v.flags)} got ${hex(r)}/${hex(f)}`);
    }
  }
  expect(ran).toBeGreaterThan(vs.length / 2);
  return bad;
}

describe('fpu', () => {
  let e: FpuExports;
  let vectors: Vector[];

  beforeAll(async () => {
    e = await loadFpu();
    vectors = parseVectors(readGolden());
  });

  it.skipIf(!haveToolchain())('committed golden file matches a fresh QEMU run', () => {
    expect(regenerate() === readGolden()).toBe(true);
  }, 300_000);

  it('covers every operation and rounding mode', () => {
    const ops = new Set(vectors.map((v) => v.op));
    expect(ops.size).toBe(48);
    for (const rm of [0, 1, 2, 3, 4]) expect(vectors.some((v) => v.rm === rm && v.op === 'fmadd_d')).toBe(true);
    expect(vectors.length).toBeGreaterThan(100_000);
  });

  it('public functions match every golden vector bit-exactly (results and flags)', () => {
    const bad = mismatches(vectors, (v) => runPublic(e, v));
    expect(bad.slice(0, 20)).toEqual([]);
  });

  it('fast paths agree with the soft-float paths on 3M seeded random cases', () => {
    const bad = e.fuzz(0x5eedn, 3_000_000);
    const at = (g: string) => (e[g] as unknown as WebAssembly.Global).value as bigint | number;
    expect(bad, `first: op ${at('failOp')} a=${hex(at('failA'))} b=${hex(at('failB'))} ` +
      `c=${hex(at('failC'))} rm=${at('failRm')}`).toBe(0);
  });

  it('integer soft-float paths alone match every golden vector', () => {
    const bad = mismatches(vectors, (v) => runSoft(e, v));
    expect(bad.slice(0, 20)).toEqual([]);
  });
});

// Slow (UNUM_SLOW=1, ~4 min): a fresh seeded random set straight from QEMU
// (seed: UNUM_FPU_SEED, default 7).
describe.skipIf(!process.env.UNUM_SLOW || !haveToolchain())('fpu soak', () => {
  it('matches ~1.4M fresh QEMU random cases', async () => {
    const e = await loadFpu();
    const seed = Number(process.env.UNUM_FPU_SEED ?? 7);
    const vs = parseVectors(soak(seed));
    expect(vs.length).toBeGreaterThan(1_000_000);
    expect(mismatches(vs, (v) => runPublic(e, v)).slice(0, 20)).toEqual([]);
    expect(mismatches(vs, (v) => runSoft(e, v)).slice(0, 20)).toEqual([]);
  }, 900_000);
});
