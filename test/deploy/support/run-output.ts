/** Reads guest/bin/hello.elf's UART lines: which NUMA node (= agent) each hart greeted from. */
export function hartNodes(stdout: string): Map<number, number> {
  const nodes = new Map<number, number>();
  for (const m of stdout.matchAll(/^hello from hart (\d+) \(thread \d+ of \d+, numa node (\d+)\)$/gm)) {
    nodes.set(Number(m[1]), Number(m[2]));
  }
  return nodes;
}
