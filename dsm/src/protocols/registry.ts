import type { ProtocolContext, ProtocolFactory, ProtocolVariant } from './protocol.js';

const factories = new Map<string, ProtocolFactory>();

/** Variants register themselves from their own file. */
export function registerProtocol(name: string, factory: ProtocolFactory): void {
  if (factories.has(name)) throw new Error(`protocol ${name} registered twice`);
  factories.set(name, factory);
}

export function protocolNames(): string[] {
  return [...factories.keys()].sort();
}

export function createProtocol(name: string, ctx: ProtocolContext): ProtocolVariant {
  const f = factories.get(name);
  if (!f) throw new RangeError(`unknown DSM protocol "${name}" (have: ${protocolNames().join(', ')})`);
  return f(ctx);
}
