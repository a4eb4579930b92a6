/**
 * One run of the protocol lab and the matrix of them: every workload ×
 * protocol × knob value × unit × nodes × link latency × page placement,
 * `repeat` times. A knob list (--mirage-ms 0.25,1) multiplies only the
 * protocols whose base or modifiers read that knob.
 * `--seed` shuffles the run order (repeats interleave with other configs,
 * so slow drift of the machine's load does not land on one variant); no
 * guest or DSM path consumes a random seed, so it changes nothing else.
 */
import { knobSpecs, protocolKnobs, seededRandom, type ProtocolKnobs } from '@unum/dsm';

export interface LabConfig {
  workload: string;
  /** Guest bootargs. */
  args: string;
  protocol: string;
  /** Knobs set for this run (only ones the protocol reads; unset: the variant's default). */
  knobs: ProtocolKnobs;
  /** The protocol and its set knobs as tables show it: `ivy-dynamic+mirage(Δ=0.25ms)`. */
  variant: string;
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
  /** Values to sweep per knob, by KnobSpec name (absent: the variant's default). */
  knobs: Partial<Record<string, number[]>>;
  units: { text: string; bytes: number }[];
  nodes: number[];
  vcpusPerNode: number;
  linkLatencies: string[];
  pagePlacements: string[];
  repeat: number;
  seed: number;
}

/** `ivy-dynamic+mirage(Δ=0.25ms)`; the bare protocol when no knob is set. */
export function variantLabel(protocol: string, knobs: ProtocolKnobs): string {
  const shown = knobSpecs().filter(({ spec }) => knobs[spec.name] !== undefined).map(({ spec }) => spec.label(knobs[spec.name]!));
  return shown.length ? `${protocol}(${shown.join(', ')})` : protocol;
}

/** Every knob setting a protocol runs with: the product of the swept knobs it reads ([{}] when none). */
export function knobSettings(protocol: string, lists: LabDimensions['knobs']): ProtocolKnobs[] {
  let out: ProtocolKnobs[] = [{}];
  for (const { name } of protocolKnobs(protocol)) {
    const values = lists[name];
    if (values?.length) out = out.flatMap((k) => values.map((v) => ({ ...k, [name]: v })));
  }
  return out;
}

/** Everything that identifies a configuration except the repeat: runs with equal keys are repeats (different knob values differ). */
export function configKey(c: Omit<LabConfig, 'repeat' | 'seed'>): string {
  return [c.workload, c.args, c.variant, c.unit, `n${c.nodes}`, `v${c.vcpus}`, `lat${c.linkLatency}`, c.pagePlacement].join(' | ');
}

/** A file-name-safe id of one run. */
export function runId(c: LabConfig): string {
  const knobs = Object.entries(c.knobs).map(([k, v]) => `-${k}${v}`).join('');
  return `${c.workload}-${c.protocol}${knobs}-${c.unit}-n${c.nodes}-lat${c.linkLatency}-${c.pagePlacement}-r${c.repeat}`.replace(/[^A-Za-z0-9._+-]/g, '_');
}

export function labMatrix(d: LabDimensions): LabConfig[] {
  const out: LabConfig[] = [];
  for (const workload of d.workloads)
    for (const nodes of d.nodes)
      for (const unit of d.units)
        for (const linkLatency of d.linkLatencies)
          for (const pagePlacement of d.pagePlacements)
            for (const protocol of d.protocols)
              for (const knobs of knobSettings(protocol, d.knobs))
                for (let repeat = 0; repeat < d.repeat; repeat++)
                  out.push({
                    workload, args: d.argsOf(workload), protocol, knobs, variant: variantLabel(protocol, knobs), unit: unit.text, unitBytes: unit.bytes, nodes,
                    vcpus: nodes * d.vcpusPerNode, linkLatency, pagePlacement, repeat, seed: d.seed,
                  });
  const r = seededRandom(d.seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
