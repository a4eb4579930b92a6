/** A small DTB reader for tests: the struct block as a tree (no dtc needed). */
export interface ReadNode {
  name: string;
  props: Map<string, Uint8Array>;
  children: ReadNode[];
}

export function readFdt(blob: Uint8Array): ReadNode {
  const v = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  if (v.getUint32(0) !== 0xd00dfeed) throw new Error('not a DTB');
  const offStruct = v.getUint32(8);
  const offStrings = v.getUint32(12);
  const cstr = (at: number): string => {
    let end = at;
    while (blob[end] !== 0) end++;
    return new TextDecoder().decode(blob.subarray(at, end));
  };
  const align = (n: number): number => (n + 3) & ~3;
  let p = offStruct;
  const stack: ReadNode[] = [];
  let root: ReadNode | undefined;
  for (;;) {
    const token = v.getUint32(p);
    p += 4;
    if (token === 1) {
      const name = cstr(p);
      p = align(p + name.length + 1);
      const n: ReadNode = { name, props: new Map(), children: [] };
      if (stack.length > 0) stack[stack.length - 1]!.children.push(n);
      else root = n;
      stack.push(n);
    } else if (token === 3) {
      const len = v.getUint32(p);
      const nameOff = v.getUint32(p + 4);
      stack[stack.length - 1]!.props.set(cstr(offStrings + nameOff), blob.slice(p + 8, p + 8 + len));
      p = align(p + 8 + len);
    } else if (token === 2) {
      stack.pop();
    } else if (token === 9) {
      return root!;
    } else if (token !== 4) {
      throw new Error(`bad FDT token ${token}`);
    }
  }
}

/** The node at `path` ('/soc/serial@10000000'). */
export function fdtPath(root: ReadNode, path: string): ReadNode | undefined {
  let n: ReadNode | undefined = root;
  for (const part of path.split('/').filter(Boolean)) n = n?.children.find((c) => c.name === part);
  return n;
}

export const cells = (b: Uint8Array): number[] =>
  Array.from({ length: b.length / 4 }, (_, i) => new DataView(b.buffer, b.byteOffset).getUint32(i * 4));

export const strings = (b: Uint8Array): string[] => new TextDecoder().decode(b).split('\0').slice(0, -1);
