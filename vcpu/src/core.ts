/** Loading the compiled engine (vcpu/build/core.wasm, built by `asc`). */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

const CORE_URL = new URL('../build/core.wasm', import.meta.url);

let cached: WebAssembly.Module | undefined;

/** Compile (once per thread) the engine module. Pass it to workers via postMessage. */
export async function loadCoreModule(): Promise<WebAssembly.Module> {
  if (!cached) cached = await WebAssembly.compile(await readFile(CORE_URL));
  return cached;
}

export function loadCoreModuleSync(): WebAssembly.Module {
  if (!cached) cached = new WebAssembly.Module(readFileSync(CORE_URL));
  return cached;
}

/** The engine's exports, as the wrapper uses them. */
export interface CoreExports {
  init(hart: number): void;
  setHartId(hart: number): void;
  reset(pc: bigint, a0: bigint, a1: bigint): void;
  run(budget: bigint): number;
  completeMmio(value: bigint): void;
  completeSbi(err: bigint, val: bigint): void;
  csrPeek(csr: number): bigint;
  csrPoke(csr: number, value: bigint): void;
  hartBase(): number;
  flushTlb(): void;
  failMmio(): void;
  engineCounter(i: number): bigint;
}
