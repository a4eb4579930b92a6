// @unum/coordinator public API: the VM builder, its parts, and the CLI.
export { Machine, exitCodeOf, type MachineConfig, type MachineOutcome, type MachineResult } from './machine.js';
export { MachineError, type MachineErrorCode } from './machine-error.js';
export { parseElf, ElfError, type ElfErrorCode, type ElfImage, type LoadSegment } from './elf.js';
export { buildVirtFdt, virtFdtBlob, fdtAddress, singleNodeNuma, RISCV_ISA, type VirtFdtConfig, type NumaLayout } from './fdt/virt-fdt.js';
export { encodeFdt, type FdtNode } from './fdt/fdt-blob.js';
export { DeviceBus, type BusContext } from './devices/bus.js';
export type { ConsolePort, DeviceContext, FinishOutcome, MmioDevice } from './devices/device.js';
export { main as cliMain } from './cli/main.js';
export { parseResultLine, parseResultOutput, type ResultLine } from './experiment/result-line.js';
export { spreadOf, type Spread } from './experiment/median.js';
