/**
 * One run of the protocol lab and the matrix of them: every workload ×
 * protocol × unit × nodes × link latency × page placement, `repeat` times.
 * `--seed` shuffles the run order (repeats interleave with other configs,
 * so slow drift of the machine's load does not land on one variant); no
 * guest or DSM path consumes a random seed, so it changes nothing else.
 */
import { seededRandom } from '@unum/dsm';

export interface LabConfig {
  workload: string;
  /** Guest bootargs. */
  args: string;
  protocol: string;
  /** As given ("4K"), and in bytes. */
  unit: string;
  unitBytes: number;
  nodes: number;
  /** vCPUs = nodes × vcpusPerNode, placed round-robin. */
  vcpus: number;
  /** As given ("50us"; "0" for none). */
  linkLatency: string;
  pagePlacement: string;
  repeat: number;
  seed: number;
}

export interface LabDimensions {
  workloads: string[];
  argsOf: (workload: string) => string;
  protocols: string[];
  units: { text: string; bytes: number }[];
  nodes: number[];
  vcpusPerNode: number;
  linkLatencies: string[];
  pagePlacements: string[];
  repeat: number;
  seed: number;
}

/** Everything that identifies a configuration except the repeat: runs with equal keys are repeats. */
export function configKey(c: Omit<LabConfig, 'repeat' | 'seed'>): string {
  return [c.workload, c.args, c.protocol, c.unit, `n${c.nodes}`, `v${c.vcpus}`, `lat${c.linkLatency}`, c.pagePlacement].join(' | ');
}

/** A file-name-safe id of one run. */
export function runId(c: LabConfig): string {
  return `${c.workload}-${c.protocol}-${c.unit}-n${c.nodes}-lat${c.linkLatency}-${c.pagePlacement}-r${c.repeat}`.replace(/[^A-Za-z0-9._+-]/g, '_');
}

export function labMatrix(d: LabDimensions): LabConfig[] {
  const out: LabConfig[] = [];
  for (const workload of d.workloads)
    for (const nodes of d.nodes)
      for (const unit of d.units)
        for (const linkLatency of d.linkLatencies)
          for (const pagePlacement of d.pagePlacements)
            for (const protocol of d.protocols)
              for (let repeat = 0; repeat < d.repeat; repeat++)
                out.push({
                  workload, args: d.argsOf(workload), protocol, unit: unit.text, unitBytes: unit.bytes, nodes,
                  vcpus: nodes * d.vcpusPerNode, linkLatency, pagePlacement, repeat, seed: d.seed,
                });
  const r = seededRandom(d.seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
