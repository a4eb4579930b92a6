// Compiles harness.ts with asc (same flags as the engine: stub runtime, -O3)
// and instantiates it for the FPU tests.
import asc from 'assemblyscript/asc';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export type FpuExports = Record<string, (...args: (number | bigint)[]) => number | bigint>;

export async function loadFpu(): Promise<FpuExports> {
  const dir = mkdtempSync(join(tmpdir(), 'unum-fpu-'));
  const out = join(dir, 'fpu.wasm');
  let wasm: Buffer;
  try {
    const { error, stderr } = await asc.main([
      join(here, 'harness.ts'), '--runtime', 'stub', '-O3', '-o', out,
    ]);
    if (error) throw new Error(`asc failed: ${error.message}\n${stderr.toString()}`);
    wasm = readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const module = await WebAssembly.compile(wasm);
  const instance = await WebAssembly.instantiate(module, {
    env: { abort: () => { throw new Error('fpu: abort'); } },
  });
  return instance.exports as unknown as FpuExports;
}
