// Every VM flag is parsed once into a VmSpec before anything starts, so a bad
// one gets the same line and exit 2 on one local node, on N embedded nodes and
// on a standing cluster (refused before the client even dials it: the address
// below has no coordinator). Issue 13: `--unit 3K` and an unknown protocol
// exited 0 without --nodes.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { GUESTS, unum } from './tools.js';

const TARGETS: Record<string, string[]> = { 'one node': [], 'two nodes': ['--nodes', '2'], 'a standing cluster': ['--cluster', '127.0.0.1:9'] };

describe('a bad VM flag is refused the same way wherever the VM would run', () => {
  it.each([
    ['--unit 3K', ['--unit', '3K'], /^unum: bad --unit '3K': must be a multiple of 4 KiB\n$/],
    ['--unit 12K', ['--unit', '12K'], /^unum: --unit must be a power of two from 4K to 64K \(got 12288\)\n$/],
    ['an unknown protocol', ['--protocol', 'ivy-bogus'], /^unum: unknown DSM protocol 'ivy-bogus': unknown part "ivy-bogus" \(have: .*\)\n$/],
    ['a bad placement', ['--vcpus', '2', '--placement', '0,1,2'], /^unum: bad --placement '0,1,2': 3 entries for 2 vcpus\n$/],
    ['a bad quantum', ['--quantum', '5'], /^unum: bad --quantum '5': must be 1000..10000000\n$/],
  ])('%s', async (_what, flags, line) => {
    const outs = await Promise.all(Object.values(TARGETS).map((t) => unum(['run', join(GUESTS, 'hello.elf'), ...t, ...flags])));
    for (const [i, r] of outs.entries()) {
      expect(r.status, `${Object.keys(TARGETS)[i]}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(line);
      expect(r.stdout).toBe('');
    }
  }, 60_000);
});
