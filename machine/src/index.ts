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
export { uart, Uart16550, UART_CLOCK_HZ } from './devices/uart.js';
export { plic, Plic, PLIC_NDEV, perHart } from './devices/plic.js';
export { testFinisher, TestFinisher } from './devices/test-finisher.js';
export { clint, clintRegister, sliceReg, mergeReg, type ClintReg } from './devices/clint.js';
export { NoDevice, type MmioBus, type MmioWindow } from './bus/mmio-bus.js';
export { DeviceBus, type BusContext } from './bus/device-bus.js';
export { encodeFdt, node, prop, type FdtNode, type FdtValue } from './fdt/fdt-blob.js';
export {
  buildVirtFdt, virtFdtBlob, fdtAddress, singleNodeNuma, RISCV_ISA, type VirtFdtConfig, type NumaLayout,
} from './fdt/virt-fdt.js';
export {
  parseElf, elfSymbols, ElfError, type ElfErrorCode, type ElfImage, type LoadSegment, type RamRange,
} from './loader/elf.js';
