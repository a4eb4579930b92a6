/**
 * What `unum demo` prints beside the run: the QEMU command that runs the same
 * ELF with the same arguments (copy-pasteable, so the checksums can be
 * compared), and one line each on what the summary shows.
 */

/** Quote a word for a POSIX shell only when it needs it. */
export function shellWord(w: string): string {
  return /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

/** The QEMU run of the same guest: -nographic puts the UART on stdout, -append is the bootargs (the FDT's /chosen). */
export function qemuCommand(elf: string, harts: number, mem: string, bootargs: string[]): string {
  return ['qemu-system-riscv64', '-M', 'virt', '-bios', 'none', '-nographic', '-smp', String(harts), '-m', mem, '-kernel', elf,
    ...(bootargs.length ? ['-append', bootargs.join(' ')] : [])].map(shellWord).join(' ');
}

/** After the table: what its header's `pages` and the two instret figures mean. */
export function summaryLegend(pagePlacement: string): string[] {
  return [
    `unum demo: "pages ${pagePlacement}" is the initial page placement: ${pagePlacement === 'node0' ? 'every 4K unit of guest RAM starts owned by node 0, the other nodes fault pages in over the DSM' : `--page-placement ${pagePlacement}`}`,
    'unum demo: RESULT instret is the guest\'s own rdinstret on hart 0 over the timed sweeps only; the table\'s instret is every instruction its node\'s harts retired in the whole run (boot, init, sweeps, barrier waits, checks)',
  ];
}
