/**
 * `--dtb F`: the user's device tree instead of the generated one. As QEMU
 * does with `-dtb`, unum still writes /chosen: `bootargs` when a command
 * line is given, and `linux,initrd-start`/`-end` when there is an initrd
 * (the tree is decoded, patched and encoded again). Everything else is
 * the user's: it must describe the unum board, or the guest will not find
 * its devices.
 *
 * @example
 *   const tree = loadDtb(readFileSync('board.dtb'));             // LoadError('bad-dtb') if malformed
 *   const blob = encodeFdt(patchChosen(tree, { bootargs: 'console=ttyS0' }));  // fdt/chosen.ts
 */
import { decodeFdt } from '../fdt/fdt-decode.js';
import type { FdtNode } from '../fdt/fdt-blob.js';
import { LoadError } from './load-error.js';

export function loadDtb(blob: Uint8Array): FdtNode {
  try {
    return decodeFdt(blob);
  } catch (e) {
    throw new LoadError('bad-dtb', `dtb: ${(e as Error).message}`, { cause: e });
  }
}
