/**
 * The mip rule under QEMU and unum (guest/tests/mip.c): with the PLIC's
 * S-mode external interrupt line high, csrs/csrc/csrrw on mip must not latch
 * SEIP into its software-writable bit, so SEIP drops with the line. Both
 * sides must verify and print the same observations.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { qemuUnavailableReason } from '../support/qemu.js';
import { parseResultOutput } from '../support/result-line.js';
import { REPO_ROOT } from './toolchain.js';
import { runBoth, unumUnavailableReason } from './unum-runner.js';

const ELF = path.join(REPO_ROOT, 'guest/bin/t-mip.elf');
const skipReason = qemuUnavailableReason() ?? unumUnavailableReason();
if (skipReason) console.warn(`skipping mip differential test: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('mip RMW vs the PLIC external interrupt, as on QEMU', () => {
  it('SEIP does not latch and drops with the line', async () => {
    const { qemu, unum } = await runBoth(ELF, { timeoutMs: 30_000 });
    const both = `QEMU:\n${qemu.stdout}${qemu.stderr}\nunum:\n${unum.stdout}${unum.stderr}`;
    expect(qemu.exitCode, both).toBe(0);
    expect(unum.exitCode, both).toBe(0);
    const q = parseResultOutput(qemu.stdout), u = parseResultOutput(unum.stdout);
    expect(q.verified && u.verified, both).toBe(true);
    const seen = (r: typeof q) => ['rose', 'rmw_old', 'after_drop', 'soft', 'cleared', 'checksum'].map((k) => r.fields[k]);
    expect(seen(u), both).toEqual(seen(q));
    expect(seen(q)).toEqual(['0x200', '0x202', '0x0', '0x200', '0x0', q.checksum]);
  });
});
