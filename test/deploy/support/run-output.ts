/** Reads what `unum run` prints: hello.elf's UART lines and the per-node summary on stderr. */

/** hello.elf's greetings: which NUMA node (= agent) each hart greeted from. */
export function hartNodes(stdout: string): Map<number, number> {
  const nodes = new Map<number, number>();
  for (const m of stdout.matchAll(/^hello from hart (\d+) \(thread \d+ of \d+, numa node (\d+)\)$/gm)) {
    nodes.set(Number(m[1]), Number(m[2]));
  }
  return nodes;
}

/**
 * The run summary of a cluster run (stderr): node name → the hart ids it ran
 * (the "harts" column, e.g. "0" or "0,3"), from the table under
 * "unum: N node(s), M vcpu(s), ...: pass (exit 0) ...".
 */
export function hartsPerNode(stderr: string): Map<string, number[]> {
  const harts = new Map<string, number[]>();
  const lines = stderr.split('\n');
  const header = lines.findIndex((l) => /^\s*node\s+name\s+harts\b/.test(l));
  if (header < 0) return harts;
  for (const line of lines.slice(header + 1)) {
    const m = /^\s*\d+\s+(\S+)\s+([\d,]*|-)\s+\d/.exec(line);
    if (!m) break;
    harts.set(m[1]!, m[2] === '-' || m[2] === '' ? [] : m[2]!.split(',').map(Number));
  }
  return harts;
}
