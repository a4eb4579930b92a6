/** Where the Linux benches find the repo, the unum CLI and the committed Linux guest (guest/linux/out). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const UNUM = path.join(REPO, 'cli/bin/unum.js');
export const IMAGE = path.join(REPO, 'guest/linux/out/Image');
export const INITRD = path.join(REPO, 'guest/linux/out/initramfs.cpio.gz');
