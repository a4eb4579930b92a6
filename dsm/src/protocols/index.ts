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

export {
  checkProtocolSpec, createProtocol, knobSpecs, parseProtocol, protocolKnobs, protocolName, protocolNames, protocolSpec, registerModifier, registerProtocol,
  type ParsedProtocol,
} from './registry.js';
export { loadVariantModules } from './modules.js';
export type { DsmCore, HandOver, KnobSpec, ProtocolContext, ProtocolFactory, ProtocolKnobs, ProtocolModifier, ProtocolSpec, ProtocolVariant } from './protocol.js';
