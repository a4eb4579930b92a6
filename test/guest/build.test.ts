// The committed ELFs in guest/bin must be exactly what the sources build to.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GUEST_DIR } from './guest-paths.js';

const probe = spawnSync('riscv64-unknown-elf-gcc', ['--version']);
const skip = probe.error || probe.status !== 0 ? 'riscv64-unknown-elf-gcc not found (apt-get install gcc-riscv64-unknown-elf)' : undefined;
if (skip) console.warn(`skipping guest rebuild test: ${skip}`);

describe.skipIf(skip !== undefined)('guest build', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'unum-guest-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('a fresh build is byte-identical to the committed guest/bin', () => {
    const bin = path.join(scratch, 'bin');
    const make = spawnSync('make', ['-s', '-j2', '-C', GUEST_DIR, `BUILD=${path.join(scratch, 'obj')}`, `BIN=${bin}`, 'all'], { encoding: 'utf8' });
    expect(make.status, make.stderr).toBe(0);
    const committed = readdirSync(path.join(GUEST_DIR, 'bin')).filter((f) => f.endsWith('.elf')).sort();
    expect(readdirSync(bin).sort()).toEqual(committed);
    for (const f of committed) {
      const same = readFileSync(path.join(bin, f)).equals(readFileSync(path.join(GUEST_DIR, 'bin', f)));
      expect(same, `${f} differs from a fresh build: run make -C guest and commit guest/bin`).toBe(true);
    }
  }, 120_000);
});
