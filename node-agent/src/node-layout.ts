/**
 * Node shared-memory offsets the agent uses (docs/architecture.md).
 * PROVISIONAL until vcpu/src/layout.ts lands; then these re-export it.
 * Frame-allocator words live in node control's NC_ALLOC area (0x100),
 * which the vcpu layout leaves to the host allocator.
 */
export const PAGE_SIZE = 4096;
export const RAM_BASE = 0x8000_0000;
export const NODE_CONTROL = 0x0010_0000;
export const PAGE_TABLE = 0x0100_0000;
export const FRAMES = 0x0200_0000;
/** wasm32 memory tops out at 4 GiB, which caps one node's frames. */
export const MAX_NODE_FRAMES = (2 ** 32 - FRAMES) / 4096;

const NC_ALLOC = 0x100;
export const ALLOC = {
  lock: NC_ALLOC, bump: NC_ALLOC + 4, freeHead: NC_ALLOC + 8, used: NC_ALLOC + 0xc, capacity: NC_ALLOC + 0x10,
} as const;

export const NC_EPOCH = 0x00;
export const HART_BASE = 0x0020_0000;
export const HART_STRIDE = 0x0001_0000;
export const MAX_HARTS = 64;
export const H_IN_GUEST = 0x400;
export const H_ACK_EPOCH = 0x404;
export const H_KICK = 0x408;
export const H_HOST_IRQ = 0x40c;
export const H_STOP = 0x410;
export const H_MTIMECMP = 0x418;
export const H_INSTRET = 0x208;

/** mip bits the host drives through H_HOST_IRQ. */
export const IRQ_MSIP = 1 << 3;
export const IRQ_MTIP = 1 << 7;
export const IRQ_SEIP = 1 << 9;
export const IRQ_MEIP = 1 << 11;
