// unum run's QEMU boot flags with bad files: one line on stderr, exit 2,
// nothing on stdout, before any agent starts: the same on one node, with
// --nodes 2 and with --cluster (the flags are checked before the client
// dials, so an address nobody listens on is never reached).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GUESTS, REPO, unum } from './tools.js';

const dir = mkdtempSync(join(tmpdir(), 'unum-bootflags-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, data: string | Uint8Array): string => {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
};
const IMAGE = join(REPO, 'guest/linux/out/Image');
const INITRD = join(REPO, 'guest/linux/out/initramfs.cpio.gz');
const text = file('text', 'just text\n');

const cases: Array<[string, string[], RegExp]> = [
  ['kernel neither ELF nor Image', ['--kernel', text], /kernel: neither an ELF nor a RISC-V Linux Image/],
  ['initrd not an archive', ['--kernel', IMAGE, '--initrd', text], /not an initrd/],
  ['dtb not a DTB', ['--kernel', IMAGE, '--dtb', text], /dtb: too short for a device tree header/],
  ['bios empty', ['--kernel', IMAGE, '--bios', file('empty', '')], /firmware file is empty/],
  ['bios is a Linux Image', ['--kernel', IMAGE, '--bios', IMAGE], /that is a Linux Image, not firmware/],
  ['missing initrd', ['--kernel', IMAGE, '--initrd', join(dir, 'nope')], /cannot read --initrd .*no such file/],
  ['Image too big for RAM', ['--kernel', IMAGE, '--initrd', INITRD, '--mem', '6M'], /give more --mem/],
  ['Image as a bare-metal ELF', [IMAGE], /a Linux Image needs SBI/],
];
const targets: Array<[string, string[]]> = [['one node', []], ['--nodes 2', ['--nodes', '2', '--vcpus', '2']], ['--cluster', ['--cluster', '127.0.0.1:1']]];

describe('unum run boot flags: bad input', () => {
  for (const [where, extra] of targets) {
    it.each(cases)(`${where}: %s → one line, exit 2`, async (_name, args, message) => {
      const r = await unum(['run', ...args, ...extra]);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^unum: /);
      expect(lines[0]).toMatch(message);
      expect(r.status, r.stderr).toBe(2);
    });
  }

  it('a bare-metal ELF still runs as before, and --kernel takes an ELF too', async () => {
    const before = await unum(['run', join(GUESTS, 'hello.elf')]);
    expect(before.status, before.stderr).toBe(0);
    expect(before.stdout).toContain('hello from unum guest');
  });
});
