export type { Access, VcpuExit } from './exit.js';
export { Vcpu, hostMtime, DEFAULT_BUDGET, type VcpuOptions } from './vcpu.js';
export { loadCoreModule, loadCoreModuleSync } from './core.js';
export {
  createNodeMemory, encodeEntry, decodeEntry, frameAddress, entryAddress, getEntry, setEntry,
  mapAllRam, readGpa, writeGpa, ramBytesOf, MAX_FRAMES, MAX_RAM_BYTES,
  type NodeMemoryOptions, type PageEntry,
} from './memory.js';
export { bumpEpoch, currentEpoch, waitForEpoch, waitForEpochSync, revokeAndWait } from './handshake.js';
export * as layout from './layout.js';
