// Bad input to `unum run` through the real CLI process: one line on
// stderr, exit status 2, no stack trace, nothing on stdout.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GUESTS, unum } from './tools.js';

const dir = mkdtempSync(join(tmpdir(), 'unum-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const hello = readFileSync(join(GUESTS, 'hello.elf'));

function variant(name: string, edit: (b: Buffer) => Buffer): string {
  const file = join(dir, name);
  writeFileSync(file, edit(Buffer.from(hello)));
  return file;
}

const cases: Array<[string, string[], RegExp]> = [
  ['not an ELF', [variant('text.elf', () => Buffer.from('just text\n'))], /not an ELF/],
  ['32-bit ELF', [variant('elf32.elf', (b) => { b[4] = 1; return b; })], /ELF32 is not ELF64/],
  ['wrong machine', [variant('x86.elf', (b) => { b.writeUInt16LE(62, 18); return b; })], /machine 62 is not RISC-V/],
  ['truncated', [variant('cut.elf', (b) => b.subarray(0, 200))], /past end of file/],
  ['segment outside RAM', [join(GUESTS, 'hello.elf'), '--mem', '4K'], /outside RAM/],
  ['RAM too small for the FDT', [join(GUESTS, 'hello.elf'), '--mem', '2M'], /RAM too small/],
  ['memory beyond one node', [join(GUESTS, 'hello.elf'), '--mem', '8G'], /exceeds one node/],
  ['missing file', [join(dir, 'nope.elf')], /cannot read .*no such file/],
  ['bad size', [join(GUESTS, 'hello.elf'), '--mem', '12Q'], /bad --mem '12Q'/],
  ['size not page multiple', [join(GUESTS, 'hello.elf'), '--mem', '1000'], /multiple of 4 KiB/],
  ['unknown flag', [join(GUESTS, 'hello.elf'), '--frobnicate'], /unknown option '--frobnicate'/],
  ['vcpus 0', [join(GUESTS, 'hello.elf'), '--vcpus', '0'], /bad --vcpus '0'/],
  ['vcpus not a number', [join(GUESTS, 'hello.elf'), '--vcpus', 'two'], /bad --vcpus 'two'/],
  ['bad log level', [join(GUESTS, 'hello.elf'), '--log-level', 'loud'], /loud/],
];

describe('unum run: bad input', () => {
  it.each(cases)('%s → one line, exit 2', async (_name, args, message) => {
    const r = await unum(['run', ...args]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^unum: /);
    expect(lines[0]).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('prints help on stdout with status 0', async () => {
    const r = await unum(['run', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--vcpus <n>');
    expect(r.stdout).toContain('--mem <size>');
  });
});
