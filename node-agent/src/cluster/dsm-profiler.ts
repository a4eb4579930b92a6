/**
 * `unum run --profile-dsm`: one node's DSM cost attributed to guest units
 * (faults, hart wait, messages and page bytes sent about each) and to the
 * guest pc that faulted (faults and wait). The CLI merges every node's
 * profile and maps units and pcs to kernel symbols (@unum/lab dsm-profile).
 *
 * @example
 *   const profiler = new DsmProfiler();
 *   new DsmNode({ ..., onSend: (m) => profiler.sent(m) });
 *   const done = profiler.faulted(unit, 'read', pc, priv);   // when the hart stops
 *   await dsm.fault(unit, 'read'); done();                   // when it may go on
 *   report.dsmProfile = profiler.profile();
 */
import { payloadBytes, type DsmMessage } from '@unum/dsm';
import type { DsmProfile, PcProfile, UnitProfile } from '@unum/protos/stats';

/** Pcs kept per unit in the report: enough to name who touches it. */
const PCS_PER_UNIT = 4;

export class DsmProfiler {
  private readonly units = new Map<number, UnitProfile>();
  /** Per unit, its faulting pcs by `priv:pc`. */
  private readonly unitPcs = new Map<number, Map<string, PcProfile>>();
  /** Keyed by `priv:pc`: a user and a kernel pc may be the same number. */
  private readonly pcs = new Map<string, PcProfile>();

  /** A hart stopped on `unit` at `pc`; call the returned function once its fault is resolved. */
  faulted(unit: number, access: 'read' | 'write', pc: bigint, priv: number): () => void {
    const u = this.unit(unit);
    if (access === 'write') u.writeFaults++;
    else u.readFaults++;
    const key = `${priv}:${pc}`;
    const p = count(this.pcs, key, pc, priv);
    let here = this.unitPcs.get(unit);
    if (!here) this.unitPcs.set(unit, (here = new Map()));
    const q = count(here, key, pc, priv);
    const t0 = performance.now();
    return () => {
      const us = (performance.now() - t0) * 1000;
      u.waitUs += us;
      p.waitUs += us;
      q.waitUs += us;
    };
  }

  /** A DSM message this node sent. */
  sent(m: DsmMessage): void {
    const u = this.unit(m.unit);
    u.messages++;
    u.bytes += payloadBytes(m);
  }

  profile(): DsmProfile {
    const round = <T extends { waitUs: number }>(r: T): T => ({ ...r, waitUs: Math.round(r.waitUs) });
    const top = (m: ReadonlyMap<string, PcProfile> | undefined, n = Infinity): PcProfile[] =>
      [...(m?.values() ?? [])].sort((a, b) => b.faults - a.faults).slice(0, n).map(round);
    return {
      units: [...this.units.values()].sort((a, b) => a.unit - b.unit).map((u) => ({ ...round(u), pcs: top(this.unitPcs.get(u.unit), PCS_PER_UNIT) })),
      pcs: top(this.pcs),
    };
  }

  private unit(unit: number): UnitProfile {
    let u = this.units.get(unit);
    if (!u) this.units.set(unit, (u = { unit, readFaults: 0, writeFaults: 0, waitUs: 0, messages: 0, bytes: 0, pcs: [] }));
    return u;
  }
}

function count(m: Map<string, PcProfile>, key: string, pc: bigint, priv: number): PcProfile {
  let p = m.get(key);
  if (!p) m.set(key, (p = { pc: pc.toString(16), priv, faults: 0, waitUs: 0 }));
  p.faults++;
  return p;
}
