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

export class DsmProfiler {
  private readonly units = new Map<number, UnitProfile>();
  /** Keyed by `priv:pc`: a user and a kernel pc may be the same number. */
  private readonly pcs = new Map<string, PcProfile>();

  /** A hart stopped on `unit` at `pc`; call the returned function once its fault is resolved. */
  faulted(unit: number, access: 'read' | 'write', pc: bigint, priv: number): () => void {
    const u = this.unit(unit);
    if (access === 'write') u.writeFaults++;
    else u.readFaults++;
    const key = `${priv}:${pc}`;
    let p = this.pcs.get(key);
    if (!p) this.pcs.set(key, (p = { pc: pc.toString(16), priv, faults: 0, waitUs: 0 }));
    p.faults++;
    const t0 = performance.now();
    return () => {
      const us = (performance.now() - t0) * 1000;
      u.waitUs += us;
      p.waitUs += us;
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
    return {
      units: [...this.units.values()].sort((a, b) => a.unit - b.unit).map(round),
      pcs: [...this.pcs.values()].sort((a, b) => b.faults - a.faults).map(round),
    };
  }

  private unit(unit: number): UnitProfile {
    let u = this.units.get(unit);
    if (!u) this.units.set(unit, (u = { unit, readFaults: 0, writeFaults: 0, waitUs: 0, messages: 0, bytes: 0 }));
    return u;
  }
}
