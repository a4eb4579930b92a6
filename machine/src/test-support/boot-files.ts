/** Small boot files for the loader tests. */
/** A minimal Image: the 64-byte header and some body. */
export function fakeImage(opts: { imageSize?: number; flags?: number; magic2?: boolean; body?: number } = {}): Uint8Array {
  const b = new Uint8Array(64 + (opts.body ?? 4096));
  const v = new DataView(b.buffer);
  v.setUint32(0, 0x0000_006f, true); // j .
  v.setBigUint64(8, 0x20_0000n, true);
  v.setBigUint64(16, BigInt(opts.imageSize ?? 0x10_0000), true);
  v.setBigUint64(24, BigInt(opts.flags ?? 0), true);
  v.setUint32(32, 2, true);
  b.set([0x52, 0x49, 0x53, 0x43, 0x56, 0, 0, 0], 48);
  if (opts.magic2 !== false) b.set([0x52, 0x53, 0x43, 0x05], 56);
  return b;
}

