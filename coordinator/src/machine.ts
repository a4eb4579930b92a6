/**
 * Machine: one VM on one in-process node. The one place that wires devices,
 * the node agent, the ELF and the device tree together (Firecracker's
 * builder.rs). Boots like `qemu-system-riscv64 -M virt -bios none -kernel`:
 * every hart at the ELF entry in M-mode, a0 = hartid, a1 = FDT address.
 *
 * @example
 *   const m = await Machine.create({ elf, vcpus: 2, memBytes: 128 << 20, bootargs: '', console });
 *   const { exitCode } = await m.run();
 */
import {
  DeviceBus, PAGE_SIZE, RAM_BASE, fdtAddress, parseElf, virtFdtBlob, type ConsolePort, type ElfImage, type FinishOutcome,
} from '@unum/machine';
import { MAX_NODE_FRAMES, NodeAgent } from '@unum/node-agent';
import type { Logger } from 'pino';
import { MachineError } from './machine-error.js';

export interface MachineConfig {
  elf: Uint8Array;
  vcpus: number;
  memBytes: number;
  bootargs: string;
  console: ConsolePort;
  logger?: Logger;
  /** Engine module for the vCPU workers (tests swap in a scripted one). */
  engineModule?: URL;
}

export type MachineOutcome = FinishOutcome | { kind: 'stopped'; reason: string };

export interface MachineResult {
  outcome: MachineOutcome;
  /** Process exit status: pass/reset 0, fail its code, stopped 1. */
  exitCode: number;
}

export function exitCodeOf(outcome: MachineOutcome): number {
  switch (outcome.kind) {
    case 'pass':
    case 'reset':
      return 0;
    case 'fail':
      return outcome.code & 0xff;
    case 'stopped':
      return 1;
  }
}

export class Machine {
  private finished!: (o: MachineOutcome) => void;
  private readonly outcome = new Promise<MachineOutcome>((resolve) => { this.finished = resolve; });

  private constructor(
    readonly agent: NodeAgent,
    readonly bus: DeviceBus,
    readonly image: ElfImage,
    readonly fdtAddr: number,
    private readonly logger?: Logger,
  ) {}

  static async create(cfg: MachineConfig): Promise<Machine> {
    if (!Number.isInteger(cfg.vcpus) || cfg.vcpus < 1) throw new MachineError('bad-config', `vcpus must be >= 1 (got ${cfg.vcpus})`);
    if (cfg.memBytes / PAGE_SIZE > MAX_NODE_FRAMES) {
      throw new MachineError('bad-config', `memory ${cfg.memBytes / 2 ** 20} MiB exceeds one node's ${MAX_NODE_FRAMES * PAGE_SIZE / 2 ** 20} MiB`);
    }
    const ram = { base: RAM_BASE, size: cfg.memBytes };
    const image = parseElf(cfg.elf, ram);
    const fdt = virtFdtBlob({ harts: cfg.vcpus, ram, bootargs: cfg.bootargs });
    const fdtAddr = fdtAddress(ram, fdt.length);
    for (const s of image.segments) {
      if (s.gpa < fdtAddr + fdt.length && fdtAddr < s.gpa + s.memsz) {
        throw new MachineError('ram-too-small', `RAM too small: the device tree at 0x${fdtAddr.toString(16)} overlaps the ELF`);
      }
    }

    let machine: Machine | undefined;
    const bus = new DeviceBus({
      harts: cfg.vcpus,
      console: cfg.console,
      hartExternalIrq: (hart, mode, level) => machine?.agent.setExternalIrq(hart, mode, level),
      finish: (o) => machine?.finished(o),
    });
    const agent = await NodeAgent.create({
      harts: cfg.vcpus,
      ramBytes: cfg.memBytes,
      mmio: bus,
      logger: cfg.logger,
      engineModule: cfg.engineModule,
      postedWrites: bus.postedWindows(),
    });
    machine = new Machine(agent, bus, image, fdtAddr, cfg.logger);
    for (const s of image.segments) agent.pool.write(s.gpa, s.data); // the zero tail is LAZY: zero on first touch
    agent.pool.write(fdtAddr, fdt);
    return machine;
  }

  /** Start every hart; resolves when the guest finishes or stop() is called. */
  async run(): Promise<MachineResult> {
    const halted = this.agent.start({ pc: this.image.entry, a1: this.fdtAddr });
    halted.then(() => this.finished({ kind: 'stopped', reason: 'all harts halted' }), (e: unknown) =>
      this.finished({ kind: 'stopped', reason: `node agent failed: ${e instanceof Error ? e.message : String(e)}` }));
    const outcome = await this.outcome;
    await this.agent.stop();
    this.logger?.info({
      outcome,
      harts: this.agent.hartStatus().map((h) => ({ ...h, instret: Number(h.instret) })),
      unmappedMmio: this.bus.unmapped,
    }, 'run finished');
    return { outcome, exitCode: exitCodeOf(outcome) };
  }

  stop(reason: string): void {
    this.finished({ kind: 'stopped', reason });
  }
}
