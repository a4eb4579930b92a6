/**
 * Flattened device tree decoder: a DTB (version 16 or 17) back into the
 * FdtNode tree `encodeFdt` writes, so a user's `--dtb` can get /chosen
 * patched (bootargs, initrd) as QEMU patches it. Checks the header and
 * every offset against the blob; throws RangeError on anything malformed.
 */
import { node, type FdtNode } from './fdt-blob.js';

const FDT_MAGIC = 0xd00dfeed;
const HEADER_SIZE = 40;

export function decodeFdt(blob: Uint8Array): FdtNode {
  if (blob.length < HEADER_SIZE) throw new RangeError(`too short for a device tree header (${blob.length} bytes)`);
  const v = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  if (v.getUint32(0) !== FDT_MAGIC) throw new RangeError('not a device tree blob (bad magic, want 0xd00dfeed)');
  const total = v.getUint32(4);
  const offStruct = v.getUint32(8);
  const offStrings = v.getUint32(12);
  const version = v.getUint32(20);
  const lastCompat = v.getUint32(24);
  const sizeStrings = v.getUint32(32);
  const sizeStruct = v.getUint32(36);
  if (total > blob.length) throw new RangeError(`truncated device tree: header says ${total} bytes, file has ${blob.length}`);
  if (version < 16 || lastCompat > 17) throw new RangeError(`device tree version ${version} (last compatible ${lastCompat}) is not 16/17`);
  if (offStruct + sizeStruct > total || offStrings + sizeStrings > total) throw new RangeError('device tree blocks run past its end');
  const structEnd = offStruct + sizeStruct;
  const cstr = (at: number, limit: number): string => {
    let end = at;
    while (end < limit && blob[end] !== 0) end++;
    if (end >= limit) throw new RangeError('unterminated string in device tree');
    return new TextDecoder().decode(blob.subarray(at, end));
  };
  const u32 = (at: number): number => {
    if (at + 4 > structEnd) throw new RangeError('device tree structure block ends early');
    return v.getUint32(at);
  };
  const align = (n: number): number => (n + 3) & ~3;
  let p = offStruct;
  const stack: FdtNode[] = [];
  let root: FdtNode | undefined;
  for (;;) {
    const token = u32(p);
    p += 4;
    if (token === 1) {
      const name = cstr(p, structEnd);
      p = align(p + name.length + 1);
      const n = node(name);
      if (stack.length > 0) stack[stack.length - 1]!.children.push(n);
      else if (root) throw new RangeError('device tree has two roots');
      else root = n;
      stack.push(n);
    } else if (token === 3) {
      const len = u32(p);
      const nameOff = u32(p + 4);
      if (p + 8 + len > structEnd || nameOff >= sizeStrings) throw new RangeError('device tree property runs past its block');
      const top = stack[stack.length - 1];
      if (!top) throw new RangeError('device tree property outside a node');
      top.props.push([cstr(offStrings + nameOff, offStrings + sizeStrings), blob.slice(p + 8, p + 8 + len)]);
      p = align(p + 8 + len);
    } else if (token === 2) {
      if (!stack.pop()) throw new RangeError('unbalanced END_NODE in device tree');
    } else if (token === 9) {
      if (!root || stack.length) throw new RangeError('device tree ends inside a node');
      return root;
    } else if (token !== 4) {
      throw new RangeError(`bad device tree token ${token}`);
    }
  }
}
