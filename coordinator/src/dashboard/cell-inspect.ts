/**
 * The dashboard's hover: one map cell as every node sees it, merged into
 * one answer per unit (owner, copyset, faults and invalidations by node).
 */
import type { VmSnapshot } from '../telemetry/vm-telemetry.js';

export interface CellDetail {
  cell: number;
  gpaFrom: string;
  gpaTo: string;
  units: number;
  /** Units of the cell each node owns. */
  ownedBy: number[];
  /** Faults each node took in the cell since start. */
  faultsBy: number[];
  detail: Array<{ unit: number; gpa: string; owner: number; copyset: number[]; readFaults: number[]; writeFaults: number[]; invalidations: number[] }>;
}

const hex = (n: number): string => `0x${n.toString(16)}`;

export function cellDetail(snap: VmSnapshot, cell: number): CellDetail {
  const unitBytes = snap.info.unitBytes;
  const first = cell * snap.unitsPerCell;
  const last = Math.min(snap.info.units, first + snap.unitsPerCell);
  const byUnit = new Map<number, CellDetail['detail'][number]>();
  const n = snap.nodes.length;
  for (const node of snap.nodes) {
    for (const v of node.sample?.units ?? []) {
      let d = byUnit.get(v.unit);
      if (!d) {
        byUnit.set(v.unit, (d = { unit: v.unit, gpa: hex(0x8000_0000 + v.unit * unitBytes), owner: -1, copyset: [],
          readFaults: new Array<number>(n).fill(0), writeFaults: new Array<number>(n).fill(0), invalidations: new Array<number>(n).fill(0) }));
      }
      if (v.owner) { d.owner = node.node; d.copyset = v.copyset; }
      d.readFaults[node.node] = v.readFaults;
      d.writeFaults[node.node] = v.writeFaults;
      d.invalidations[node.node] = v.invalidations;
    }
  }
  const total = (d: CellDetail['detail'][number]): number => d.readFaults.reduce((a, b) => a + b, 0) + d.writeFaults.reduce((a, b) => a + b, 0);
  return {
    cell, gpaFrom: hex(0x8000_0000 + first * unitBytes), gpaTo: hex(0x8000_0000 + last * unitBytes - 1), units: last - first,
    ownedBy: snap.nodes.map((x) => x.owned?.[cell] ?? 0), faultsBy: snap.nodes.map((x) => x.faults?.[cell] ?? 0),
    detail: [...byUnit.values()].sort((a, b) => total(b) - total(a) || a.unit - b.unit),
  };
}
