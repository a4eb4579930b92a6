// Every variant registers itself on import: a new base or modifier is one file plus one line here.
// Modifiers are listed in canonical name order.
import './ivy-central.js';
import './ivy-fixed.js';
import './ivy-dynamic.js';
import './home-based.js';
import './own-read.js';
import './prefetch.js';
import './write-update.js';
import './mirage.js';

export { createProtocol, knobInfo, parseProtocol, pickKnobs, protocolKnobs, protocolNames, registerModifier, registerProtocol, resolveKnobs } from './registry.js';
export type { HomePolicy, KnobSpec, ProtocolContext, ProtocolFactory, ProtocolKnobs, ProtocolModifier, ProtocolVariant } from './protocol.js';
