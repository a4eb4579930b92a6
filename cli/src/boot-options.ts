/**
 * The QEMU boot flags of `unum run` (`--kernel F [--initrd F] [--append
 * "..."] [--bios none|default|FILE] [--dtb F]`) and the positional
 * `unum run X.elf [-- bootargs]` (= `-bios none -kernel X.elf`: a
 * bare-metal ELF, every hart at its entry in M-mode), read into one
 * BootSpec and laid out once by the coordinator's own check, so a bad file
 * is one line and exit 2 before any agent starts, whichever the target.
 * docs/linux.md.
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { bootLayoutOf, type BootSpec } from '@unum/coordinator';
import { DEFAULT_FIRMWARE_PATHS, type BootFirmware } from '@unum/machine';
import { UsageError } from './usage-error.js';

export interface BootCliOptions {
  kernel?: string;
  initrd?: string;
  append?: string;
  bios?: string;
  dtb?: string;
  sbi?: 'firmware' | 'builtin';
}

export function addBootOptions(cmd: Command): Command {
  return cmd
    .option('--kernel <file>', 'kernel: a RISC-V Linux Image or an ELF (vmlinux: loaded by physical address); with --bios none it runs in S-mode on the built-in SBI')
    .option('--initrd <file>', 'initial RAM disk (cpio, compressed or not), placed high in RAM (/chosen/linux,initrd-*)')
    .option('--append <cmdline>', 'kernel command line (/chosen/bootargs)')
    .addOption(new Option('--bios <none|default|file>', 'firmware: none (the built-in SBI), default (OpenSBI fw_dynamic), or a fw_jump/fw_dynamic .bin/.elf'))
    .option('--dtb <file>', 'use this device tree blob instead of the generated one (/chosen still gets bootargs and the initrd)');
}

async function read(path: string, flag: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${flag === 'kernel' ? '' : `${flag} `}${path}: ${code === 'ENOENT' ? 'no such file' : code ?? String(e)}`);
  }
}

async function firmwareOf(bios: string | undefined, bare: boolean): Promise<BootFirmware> {
  if (bios === undefined) return { kind: bare ? 'bare' : 'sbi' };
  if (bios === 'none') return { kind: bare ? 'bare' : 'sbi' };
  if (bios === 'default') {
    const path = DEFAULT_FIRMWARE_PATHS.find((p) => existsSync(p));
    if (!path) throw new UsageError(`--bios default: no OpenSBI fw_dynamic found (looked in ${DEFAULT_FIRMWARE_PATHS.join(', ')}; install opensbi or qemu-system-data)`);
    return { kind: 'image', bytes: await read(path, '--bios') };
  }
  return { kind: 'image', bytes: await read(bios, '--bios') };
}

/** The flags as a BootSpec, checked by laying it out in `memBytes` of RAM (throws one line on bad input). */
export async function bootSpecOf(elf: string | undefined, after: string[], o: BootCliOptions, vm: { vcpus: number; memBytes: number }): Promise<BootSpec> {
  if (elf !== undefined && o.kernel !== undefined) throw new UsageError(`give the kernel once: ${elf} or --kernel ${o.kernel}`);
  const path = elf ?? o.kernel;
  if (path === undefined) throw new UsageError('no kernel: unum run X.elf, or --kernel F');
  if (o.append !== undefined && after.length > 0) throw new UsageError('give the command line once: --append or after --');
  const bare = elf !== undefined;
  const boot: BootSpec = {
    kernel: await read(path, 'kernel'),
    initrd: o.initrd === undefined ? undefined : await read(o.initrd, '--initrd'),
    dtb: o.dtb === undefined ? undefined : await read(o.dtb, '--dtb'),
    firmware: await firmwareOf(o.bios, bare),
    bootargs: o.append ?? after.join(' '),
    sbi: o.sbi,
  };
  bootLayoutOf(boot, vm); // bad files: one line here, before any agent starts
  return boot;
}
