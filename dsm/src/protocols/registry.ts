import type { KnobSpec, ProtocolContext, ProtocolFactory, ProtocolKnobs, ProtocolModifier, ProtocolSpec, ProtocolVariant } from './protocol.js';

/**
 * Protocol names are `base[+modifier...]`, e.g. `ivy-dynamic+prefetch+mirage`.
 * The base decides where requests go (ivy-central, ivy-fixed, ivy-dynamic,
 * home-based); each modifier adds hooks. Modifiers may be written in any order;
 * the canonical name lists them in registration order. Parsed here only.
 */
const bases = new Map<string, { factory: ProtocolFactory; accepts: string[]; knob?: KnobSpec }>();
const modifiers = new Map<string, ProtocolModifier>();

/** Variants register themselves from their own file. `accepts`: the modifiers that make sense on this base. */
export function registerProtocol(name: string, factory: ProtocolFactory, accepts: string[] = [], knob?: KnobSpec): void {
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

/** The knobs a protocol reads (its base's and its modifiers'), in name order. */
function knobsRead(p: ParsedProtocol): KnobSpec[] {
  return [bases.get(p.base)!.knob, ...p.modifiers.map((m) => modifiers.get(m)!.knob)].filter((k): k is KnobSpec => k !== undefined);
}

/** The knobs a protocol name reads. */
export function protocolKnobs(name: string): KnobSpec[] {
  return knobsRead(parseProtocol(name));
}

/** Every knob any registered variant declares, with who reads it (flags and help texts derive from these). */
export function knobSpecs(): Array<{ spec: KnobSpec; readers: string[] }> {
  const all = [...bases.values()].map((b) => b.knob).concat([...modifiers.values()].map((m) => m.knob))
    .filter((k): k is KnobSpec => k !== undefined);
  return all.filter((k, i) => all.findIndex((o) => o.name === k.name) === i).map((spec) => ({ spec, readers: readersOf(spec.name) }));
}

/** Who reads a knob: "mirage", "home-based" (for error messages). */
function readersOf(knob: string): string[] {
  return [...bases].filter(([, b]) => b.knob?.name === knob).map(([n]) => n)
    .concat([...modifiers.values()].filter((m) => m.knob?.name === knob).map((m) => m.name));
}

/**
 * The one parse of a protocol: `name` as typed (modifiers in any order) and
 * the knobs set for it. Each set knob must be read by the base or one of its
 * modifiers and be in range; the spec carries every knob the protocol reads,
 * defaults filled in. Throws a RangeError naming a knob by `label` (the CLI
 * passes its flag names).
 */
export function protocolSpec(name: string, set: ProtocolKnobs = {}, label: (knob: string) => string = (k) => k): ProtocolSpec {
  const p = parseProtocol(name);
  const specs = knobsRead(p);
  for (const [k, v] of Object.entries(set)) {
    if (v === undefined) continue;
    if (!specs.some((s) => s.name === k)) {
      const readers = readersOf(k);
      throw new RangeError(`${label(k)} has no effect on DSM protocol "${p.canonical}"${readers.length ? ` (only ${readers.join(', ')} reads it)` : ''}`);
    }
  }
  const knobs: Record<string, number> = {};
  for (const s of specs) {
    const v = set[s.name] ?? s.default;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < s.min || v > s.max || (s.integer && !Number.isInteger(v))) {
      throw new RangeError(`${label(s.name)} must be ${s.integer ? 'an integer' : 'a number'} from ${s.min} to ${s.max}, got ${v}`);
    }
    knobs[s.name] = v;
  }
  return { base: p.base, modifiers: p.modifiers, knobs };
}

/** A spec that arrived from elsewhere (the wire), checked as if typed here: the same spec back, or a RangeError. */
export function checkProtocolSpec(spec: ProtocolSpec): ProtocolSpec {
  return protocolSpec(protocolName(spec), spec.knobs);
}

/** The canonical name: `ivy-dynamic+prefetch+mirage`. */
export function protocolName(spec: Pick<ProtocolSpec, 'base' | 'modifiers'>): string {
  return [spec.base, ...spec.modifiers].join('+');
}

export function createProtocol(spec: ProtocolSpec, ctx: Omit<ProtocolContext, 'knobs'>): ProtocolVariant {
  const full = { ...ctx, knobs: spec.knobs };
  let v = bases.get(spec.base)!.factory(full);
  for (const m of spec.modifiers) v = modifiers.get(m)!.apply(v, full);
  return { ...v, name: protocolName(spec), knobs: spec.knobs };
}

/** A knob's value in effect (resolved by createProtocol before any factory runs). */
export function knob(ctx: ProtocolContext, name: string): number {
  const v = ctx.knobs[name];
  if (v === undefined) throw new Error(`DSM protocol knob ${name} read by a variant that does not declare it`);
  return v;
}
