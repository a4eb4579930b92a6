/**
 * The lab's workloads (guest/bin/<name>.elf) and their bootargs per size
 * preset. `tiny` is for tests, `small` (default) keeps a full matrix in
 * minutes on a 2-core machine, `medium` is for a quieter one. `--args
 * name:k=v,...` overrides single keys. Bad input is a RangeError (the CLI
 * reports it as a usage error).
 */

export const LAB_SIZES = ['tiny', 'small', 'medium'] as const;
export type LabSize = (typeof LAB_SIZES)[number];

const ARGS: Record<string, Record<LabSize, string>> = {
  matmul: { tiny: 'n=16 iters=1', small: 'n=64 iters=1', medium: 'n=128 iters=2' },
  jacobi: { tiny: 'n=32 iters=2', small: 'n=128 iters=5', medium: 'n=256 iters=10' },
  // padded: each counter on its own 4 KiB page, so only a unit above 4K shares them. The threads must overlap for
  // long (hundreds of ms at JIT speed) for the sharing to show: hence 10^8 increments.
  falseshare: { tiny: 'count=500 iters=1 mode=padded', small: 'count=100000000 iters=1 mode=padded', medium: 'count=400000000 iters=1 mode=padded' },
  pingpong: { tiny: 'rounds=20', small: 'rounds=100', medium: 'rounds=1000' },
  lock: { tiny: 'count=100 cs=4 iters=1', small: 'count=2000 cs=4 iters=1', medium: 'count=20000 cs=16 iters=1' },
  radix: { tiny: 'size=16K iters=1', small: 'size=256K iters=1', medium: 'size=2M iters=1' },
  memscan: { tiny: 'size=64K iters=1', small: 'size=1M iters=1', medium: 'size=8M iters=2' },
};

export const LAB_WORKLOADS = Object.keys(ARGS);

/** key=value words as an ordered map. */
function wordsOf(text: string, what: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const w of text.split(/[\s,]+/).filter(Boolean)) {
    const i = w.indexOf('=');
    if (i <= 0) throw new RangeError(`bad ${what} '${w}': expected key=value`);
    m.set(w.slice(0, i), w.slice(i + 1));
  }
  return m;
}

/** `--args` values (`matmul:n=64,iters=2`, repeatable) → workload → overrides. */
export function parseArgOverrides(specs: readonly string[]): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const spec of specs) {
    const i = spec.indexOf(':');
    const name = spec.slice(0, i);
    if (i <= 0 || !(name in ARGS)) throw new RangeError(`bad --args '${spec}': expected WORKLOAD:key=value[,key=value] with WORKLOAD one of ${LAB_WORKLOADS.join(', ')}`);
    const m = out.get(name) ?? new Map<string, string>();
    for (const [k, v] of wordsOf(spec.slice(i + 1), '--args')) m.set(k, v);
    out.set(name, m);
  }
  return out;
}

/** The bootargs of one workload: the preset, then the overrides. */
export function workloadArgs(name: string, size: LabSize, overrides?: Map<string, string>): string {
  const preset = ARGS[name];
  if (!preset) throw new RangeError(`unknown workload '${name}' (have: ${LAB_WORKLOADS.join(', ')})`);
  const m = wordsOf(preset[size], 'preset');
  for (const [k, v] of overrides ?? []) m.set(k, v);
  return [...m].map(([k, v]) => `${k}=${v}`).join(' ');
}
