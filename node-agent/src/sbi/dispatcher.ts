/**
 * The SBI dispatcher: extensions register by extension id, as in kvmtool
 * and Firecracker's device lists. An extension is one file plus one line in
 * index.ts. Unknown extensions and functions answer SBI_ERR_NOT_SUPPORTED.
 */
import { SBI_ERR_FAILED, notSupported, ret, type SbiCall, type SbiOutcome } from './sbi-abi.js';
import type { SbiHost } from './sbi-host.js';

export interface SbiContext {
  /** Hart id of the caller. */
  hart: number;
  host: SbiHost;
  /** BASE probe_extension: 0 if absent, else the extension's probe value (1 by default). */
  probe(eid: number): bigint;
}

export interface SbiExtension {
  readonly name: string;
  /** Extension ids it serves (the legacy file serves 0x00..0x08). */
  readonly eids: readonly number[];
  /** probe_extension's answer when present (default 1). */
  probeValue?(eid: number): bigint;
  call(call: SbiCall, ctx: SbiContext): SbiOutcome;
}

export class SbiDispatcher {
  private readonly byEid = new Map<number, SbiExtension>();

  register(ext: SbiExtension): this {
    for (const eid of ext.eids) {
      const had = this.byEid.get(eid);
      if (had) throw new Error(`SBI extension 0x${eid.toString(16)} registered twice (${had.name}, ${ext.name})`);
      this.byEid.set(eid, ext);
    }
    return this;
  }

  /** Extension ids served, ascending. */
  get eids(): number[] {
    return [...this.byEid.keys()].sort((a, b) => a - b);
  }

  probe(eid: number): bigint {
    const ext = this.byEid.get(eid);
    return ext ? ext.probeValue?.(eid) ?? 1n : 0n;
  }

  /** Handle one ecall of `hart`. A host failure is the guest's SBI_ERR_FAILED (and is rethrown when `strict`). */
  handle(hart: number, call: SbiCall, host: SbiHost): SbiOutcome {
    const ext = this.byEid.get(call.ext);
    if (!ext) return notSupported();
    const ctx: SbiContext = { hart, host, probe: (eid) => this.probe(eid) };
    try {
      return ext.call(call, ctx);
    } catch (e) {
      if (e instanceof SbiHostError) return ret(SBI_ERR_FAILED);
      throw e;
    }
  }
}

/** A host-side failure the guest should see as SBI_ERR_FAILED (e.g. no forwarder for a remote hart). */
export class SbiHostError extends Error {}
