/**
 * Node shared-memory offsets the agent uses: the engine's layout
 * (@unum/vcpu), plus the frame-allocator words the agent keeps in node
 * control's NC_ALLOC area, which the vcpu layout leaves to the host.
 */
import { RAM_BASE } from '@unum/machine';
import { layout } from '@unum/vcpu';

export const {
  NODE_CTRL, NC_ALLOC, NC_EPOCH, GPA_TABLE, FRAMES, HART_BASE, HART_STRIDE, MAX_HARTS,
  H_IN_GUEST, H_ACK_EPOCH, H_KICK, H_HOST_IRQ, H_STOP, H_MTIMECMP, H_INSTRET, H_PC, H_PRIV,
} = layout;
// The engine indexes its GPA table from its own compiled-in RAM base: it must be the board's.
const ENGINE_RAM_BASE: number = layout.RAM_BASE;
if (ENGINE_RAM_BASE !== RAM_BASE) throw new Error(`@unum/vcpu's RAM base 0x${ENGINE_RAM_BASE.toString(16)} is not the board's`);
/** wasm32 memory tops out at 4 GiB, which caps one node's frames. */
export { MAX_FRAMES as MAX_NODE_FRAMES } from '@unum/vcpu';

/** Frame allocator words (byte offsets from NODE_CTRL). */
export const ALLOC = {
  lock: NC_ALLOC, bump: NC_ALLOC + 4, freeHead: NC_ALLOC + 8, used: NC_ALLOC + 0xc, capacity: NC_ALLOC + 0x10,
} as const;

/** mip bits the host drives through H_HOST_IRQ. */
export const IRQ_MSIP = 1 << 3;
export const IRQ_MTIP = 1 << 7;
export const IRQ_SEIP = 1 << 9;
export const IRQ_MEIP = 1 << 11;
