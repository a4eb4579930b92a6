// @unum/machine public API: the board. The QEMU virt memory map, the device
// models, the board (one list of placements) and the MMIO bus and device
// tree derived from it, the bus contract node agents forward to, and the
// guest loaders. Everything not exported here is internal.
export * from './board/memory-map.js';
export { Board, type Placement } from './board/board.js';
export { virtBoard, isClint, decodeClint } from './board/virt-board.js';
export type {
  ConsolePort, DeviceContext, DeviceKind, FdtRefs, FinishOutcome, InterruptController, MmioDevice, Window,
} from './devices/device.js';
export { unitName } from './devices/device.js';
export type { NetPort } from './devices/virtio/net-port.js';
export { uart, Uart16550, UART_CLOCK_HZ } from './devices/uart.js';
export { plic, Plic, PLIC_NDEV, perHart } from './devices/plic.js';
export { testFinisher, TestFinisher } from './devices/test-finisher.js';
export { goldfishRtc, GoldfishRtc } from './devices/goldfish-rtc.js';
export { clint, clintRegister, sliceReg, mergeReg, type ClintReg } from './devices/clint.js';
export { virtioMmio } from './devices/virtio/virtio-mmio.js';
export { VirtioSlots, type SlotsContext } from './devices/virtio/virtio-slots.js';
export { VirtioMmioTransport, type TransportContext } from './devices/virtio/mmio-transport.js';
export { serveEach, configRead, type VirtioDevice, type VirtioIo } from './devices/virtio/virtio-device.js';
export {
  Virtqueue, ChainError, gather, scatter, lengthOf, MAX_CHAIN_BYTES, type DescriptorChain, type QueueLayout, type Segment,
} from './devices/virtio/virtqueue.js';
export { DmaError, checkRam, type GuestDma } from './devices/virtio/guest-dma.js';
export * as virtio from './devices/virtio/virtio-regs.js';
export { VirtioBlk, BLK_T, BLK_S, SECTOR } from './devices/virtio/virtio-blk.js';
export { RawImage, type BlockBackend } from './devices/virtio/block-image.js';
export { VirtioRng } from './devices/virtio/virtio-rng.js';
export { VirtioConsole } from './devices/virtio/virtio-console.js';
export { VirtioNet, macBytes, DEFAULT_MAC, NET_HDR_BYTES, type NetCounters } from './devices/virtio/virtio-net.js';
export { NoDevice, type MmioBus, type MmioWindow } from './bus/mmio-bus.js';
export { DeviceBus, type BusContext } from './bus/device-bus.js';
export { encodeFdt, node, prop, type FdtNode, type FdtValue } from './fdt/fdt-blob.js';
export { decodeFdt } from './fdt/fdt-decode.js';
export { chosenProps, patchChosen, type ChosenPatch } from './fdt/chosen.js';
export {
  buildVirtFdt, virtFdtBlob, fdtAddress, singleNodeNuma, RISCV_ISA, RISCV_ISA_EXTENSIONS, type VirtFdtConfig, type NumaLayout,
} from './fdt/virt-fdt.js';
export {
  parseElf, elfSymbols, ElfError, type ElfErrorCode, type ElfImage, type LoadSegment, type RamRange,
} from './loader/elf.js';
export { LoadError, type LoadErrorCode } from './loader/load-error.js';
export { isLinuxImage, linuxImageHeader, loadLinuxImage, IMAGE_ALIGN, type LinuxImage, type LinuxImageHeader } from './loader/linux-image.js';
export { placeInitrd, initrdFormat, type InitrdPlace } from './loader/initrd.js';
export { loadDtb } from './loader/dtb.js';
export { loadFirmware, DEFAULT_FIRMWARE_PATHS, type Firmware } from './loader/firmware.js';
export { resetRom, FW_DYNAMIC_MAGIC, type ResetRomConfig } from './loader/reset-rom.js';
export {
  layoutBoot, FW_JUMP_FDT_ADDR, type BootFiles, type BootFirmware, type BootLayout, type BootMode, type BootPiece,
} from './loader/boot-layout.js';
