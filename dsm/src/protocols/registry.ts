import type { ProtocolContext, ProtocolFactory, ProtocolKnobs, ProtocolModifier, ProtocolVariant } from './protocol.js';

/**
 * Protocol names are `base[+modifier...]`, e.g. `ivy-dynamic+prefetch+mirage`.
 * The base decides where requests go (ivy-central, ivy-fixed, ivy-dynamic,
 * home-based); each modifier adds hooks. Modifiers may be written in any order;
 * the canonical name lists them in registration order. Parsed here only.
 */
const bases = new Map<string, { factory: ProtocolFactory; accepts: string[]; knob?: keyof ProtocolKnobs }>();
const modifiers = new Map<string, ProtocolModifier>();

/** Variants register themselves from their own file. `accepts`: the modifiers that make sense on this base. */
export function registerProtocol(name: string, factory: ProtocolFactory, accepts: string[] = [], knob?: keyof ProtocolKnobs): void {
  if (bases.has(name) || modifiers.has(name)) throw new Error(`protocol ${name} registered twice`);
  if (name.includes('+')) throw new Error(`protocol name ${name} must not contain "+"`);
  bases.set(name, { factory, accepts, knob });
}

export function registerModifier(m: ProtocolModifier): void {
  if (bases.has(m.name) || modifiers.has(m.name)) throw new Error(`protocol modifier ${m.name} registered twice`);
  modifiers.set(m.name, m);
}

export interface ParsedProtocol {
  base: string;
  /** In canonical order. */
  modifiers: string[];
  canonical: string;
}

/** Splits and checks a protocol name; throws a RangeError saying what is wrong. */
export function parseProtocol(name: string): ParsedProtocol {
  const parts = String(name).split('+').map((p) => p.trim());
  const baseNames = parts.filter((p) => bases.has(p));
  const unknown = parts.filter((p) => !bases.has(p) && !modifiers.has(p));
  if (unknown.length > 0 || baseNames.length !== 1) {
    const why = unknown.length > 0 ? `unknown part "${unknown[0]}"` : `needs exactly one base (${[...bases.keys()].join(', ')})`;
    throw new RangeError(`unknown DSM protocol "${name}": ${why} (have: ${protocolNames().join(', ')})`);
  }
  const base = baseNames[0];
  const mods = parts.filter((p) => p !== base);
  if (new Set(mods).size !== mods.length) throw new RangeError(`DSM protocol "${name}" repeats a modifier`);
  const accepts = bases.get(base)!.accepts;
  for (const m of mods) {
    if (!accepts.includes(m)) throw new RangeError(`DSM protocol "${name}": modifier ${m} does not apply to ${base}`);
    const clash = modifiers.get(m)!.excludes?.find((x) => mods.includes(x));
    if (clash) throw new RangeError(`DSM protocol "${name}": ${m} and ${clash} cannot be combined`);
  }
  const ordered = [...modifiers.keys()].filter((m) => mods.includes(m));
  return { base, modifiers: ordered, canonical: [base, ...ordered].join('+') };
}

/** Every valid protocol name (bases alone and with every allowed set of modifiers), sorted. */
export function protocolNames(): string[] {
  const out: string[] = [];
  for (const [base, b] of bases) {
    const mods = [...modifiers.keys()].filter((m) => b.accepts.includes(m));
    for (let mask = 0; mask < 1 << mods.length; mask++) {
      const set = mods.filter((_, i) => mask & (1 << i));
      if (set.some((m) => modifiers.get(m)!.excludes?.some((x) => set.includes(x)))) continue;
      out.push([base, ...set].join('+'));
    }
  }
  return out.sort();
}

export function createProtocol(name: string, ctx: ProtocolContext): ProtocolVariant {
  const p = parseProtocol(name);
  for (const [knob, value] of Object.entries(ctx.knobs ?? {})) {
    if (value === undefined) continue;
    const users = [bases.get(p.base)!.knob, ...p.modifiers.map((m) => modifiers.get(m)!.knob)];
    if (!users.includes(knob as keyof ProtocolKnobs)) throw new RangeError(`option ${knob} has no effect on DSM protocol "${p.canonical}"`);
  }
  let v = bases.get(p.base)!.factory(ctx);
  for (const m of p.modifiers) v = modifiers.get(m)!.apply(v, ctx);
  return { ...v, name: p.canonical };
}

/** A knob's value or its default, checked to be an integer (or number) in [min, max]. */
export function knob(ctx: ProtocolContext, name: keyof ProtocolKnobs, dflt: number, min: number, max: number, integer = true): number {
  const v = ctx.knobs?.[name] ?? dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
    throw new RangeError(`${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got ${v}`);
  }
  return v;
}
