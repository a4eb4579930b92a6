/**
 * The DSM protocol knobs as flags (--mirage-ms, --prefetch-units,
 * --home-migrate-after), shared by `unum run` (one value each) and the
 * protocol lab (lists). Whether a knob fits the protocol and its range are
 * the DSM registry's own check (protocolSpec), reported with flag names.
 */
import { knobSpecs, protocolNames, protocolSpec, type KnobSpec, type ProtocolKnobs } from '@unum/dsm';
import { UsageError } from './usage-error.js';

export type KnobName = string;

export interface KnobFlag {
  knob: KnobName;
  /** Without the dashes. */
  flag: string;
  /** What the value is called in --help (`<ms>`). */
  valueName: string;
  help: string;
  /** How a variant's label shows the value: `ivy-dynamic+mirage(Δ=0.25ms)`. */
  show: (v: number) => string;
}

/** One flag per knob any registered variant declares (out-of-tree ones too: UNUM_DSM_MODULES), straight from its KnobSpec. */
export function knobFlags(): KnobFlag[] {
  return knobSpecs().map(({ spec, readers }) => ({
    knob: spec.name, flag: spec.flag, valueName: spec.valueName ?? 'n', show: (v: number) => spec.label(v), help: `${spec.help} (${usage(spec, readers)})`,
  }));
}

/** "needs mirage; default 1, 0..10000, fractions allowed", from the variant that declares the knob. */
function usage(spec: KnobSpec, readers: string[]): string {
  return `needs ${readers.join(' or ')}; default ${spec.default}, ${spec.min}..${spec.max}${spec.integer ? '' : ', fractions allowed'}`;
}

/** What was typed for a knob's flag, if anything (commander keeps `--mirage-ms` as `mirageMs`). */
export function knobText(opts: object, k: KnobFlag): string | undefined {
  return (opts as Record<string, string | undefined>)[k.flag.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())];
}

export const flagOf = (k: KnobName): string => `--${knobFlags().find((f) => f.knob === k)?.flag ?? k}`;

/** A knob value as typed: any finite number (range and integer checks are the registry's, in checkKnobs). */
export function parseKnobValue(text: string, flag: string): number {
  const v = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(v)) throw new UsageError(`bad ${flag} '${text}': not a number`);
  return v;
}

/** The set knobs checked against `protocol`; returns the knobs in effect (defaults filled in). */
export function checkKnobs(protocol: string, knobs: ProtocolKnobs): ProtocolKnobs {
  try {
    return protocolSpec(protocol, knobs, flagOf).knobs;
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/ \(have: .*\)$/, ''));
  }
}

const names = protocolNames();
/** Help text: the name's form, bases and modifiers from the registry. */
export const PROTOCOL_HELP = `DSM variant, base[+modifier...]: bases ${names.filter((n) => !n.includes('+')).join(', ')}; modifiers ${
  [...new Set(names.flatMap((n) => n.split('+').slice(1)))].join(', ')} (e.g. ivy-dynamic+prefetch+mirage; an unknown name lists all ${names.length})`;
