/**
 * /chosen: what a boot tells the kernel beyond the board (command line,
 * initrd bounds, an entropy seed). One writer for the generated tree and
 * for a user's `--dtb`, so both say it the same way (QEMU's property order;
 * initrd bounds as 64-bit numbers, as QEMU 8 writes them: Linux reads
 * either width).
 *
 * @example
 *   patchChosen(tree, { bootargs: 'console=hvc0', initrd: { start: 0x8f000000, end: 0x8f345000 } });
 */
import { node, prop, type FdtNode, type FdtValue } from './fdt-blob.js';

export interface ChosenPatch {
  /** Set when non-empty (an empty command line keeps the blob's). */
  bootargs?: string;
  initrd?: { start: number; end: number };
  /** /chosen/rng-seed. */
  rngSeed?: Uint8Array;
}

/** The /chosen properties a boot adds, as QEMU writes them (initrd bounds as 64-bit numbers). */
export function chosenProps(p: ChosenPatch): Array<[string, FdtValue]> {
  const out: Array<[string, FdtValue]> = [];
  if (p.initrd) out.push(['linux,initrd-end', prop.u64(p.initrd.end)], ['linux,initrd-start', prop.u64(p.initrd.start)]);
  if (p.rngSeed) out.push(['rng-seed', p.rngSeed]);
  if (p.bootargs) out.push(['bootargs', prop.str(p.bootargs)]);
  return out;
}

/** `tree` with /chosen's properties set (replaced if present); adds /chosen if missing. */
export function patchChosen(tree: FdtNode, p: ChosenPatch): FdtNode {
  const add = chosenProps(p);
  let chosen = tree.children.find((c) => c.name === 'chosen');
  if (!chosen) {
    chosen = node('chosen');
    tree.children.unshift(chosen);
  }
  chosen.props = [...chosen.props.filter(([k]) => !add.some(([n]) => n === k)), ...add];
  return tree;
}
