/**
 * The DSM protocol knobs as flags (--mirage-ms, --prefetch-units,
 * --home-migrate-after), shared by `unum run` (one value each) and the
 * protocol lab (lists). Whether a knob fits the protocol and its range are
 * the DSM registry's own check (resolveKnobs), reported with flag names.
 */
import { knobInfo, protocolNames, resolveKnobs, type ProtocolKnobs } from '@unum/dsm';
import { UsageError } from './usage-error.js';

export type KnobName = keyof ProtocolKnobs;

export interface KnobFlag {
  knob: KnobName;
  /** Without the dashes. */
  flag: string;
  help: string;
  /** How a variant's label shows the value: `ivy-dynamic+mirage(Δ=0.25ms)`. */
  show: (v: number) => string;
}

export const KNOB_FLAGS: readonly KnobFlag[] = (<KnobFlag[]>[
  { knob: 'mirageMs', flag: 'mirage-ms', help: 'Mirage Δ: ms a node keeps a unit before giving it away', show: (v) => `Δ=${v}ms` },
  { knob: 'prefetchUnits', flag: 'prefetch-units', help: 'units also fetched after a read fault', show: (v) => `k=${v}` },
  { knob: 'homeMigrateAfter', flag: 'home-migrate-after', help: 'writes by one node beyond the home\'s own before the home moves to it', show: (v) => `migrate after ${v}` },
]).map((k) => ({ ...k, help: `${k.help} (${usage(k.knob)})` }));

/** "needs mirage; default 1, 0..10000, fractions allowed", from the variant that declares the knob. */
function usage(knob: KnobName): string {
  const info = knobInfo(knob);
  if (!info) return 'no variant reads it';
  const { spec, readers } = info;
  return `needs ${readers.join(' or ')}; default ${spec.default}, ${spec.min}..${spec.max}${spec.integer ? '' : ', fractions allowed'}`;
}

export const flagOf = (k: KnobName): string => `--${KNOB_FLAGS.find((f) => f.knob === k)!.flag}`;

/** A knob value as typed: any finite number (range and integer checks are the registry's, in checkKnobs). */
export function parseKnobValue(text: string, flag: string): number {
  const v = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(v)) throw new UsageError(`bad ${flag} '${text}': not a number`);
  return v;
}

/** The set knobs checked against `protocol`; returns the knobs in effect (defaults filled in). */
export function checkKnobs(protocol: string, knobs: ProtocolKnobs): ProtocolKnobs {
  try {
    return resolveKnobs(protocol, knobs, flagOf);
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/ \(have: .*\)$/, ''));
  }
}

const names = protocolNames();
/** Help text: the name's form, bases and modifiers from the registry. */
export const PROTOCOL_HELP = `DSM variant, base[+modifier...]: bases ${names.filter((n) => !n.includes('+')).join(', ')}; modifiers ${
  [...new Set(names.flatMap((n) => n.split('+').slice(1)))].join(', ')} (e.g. ivy-dynamic+prefetch+mirage; an unknown name lists all ${names.length})`;
