// Every variant registers itself on import: a new variant is one file plus one line here.
import './ivy-central.js';
import './ivy-fixed.js';
import './ivy-dynamic.js';

export { createProtocol, protocolNames, registerProtocol } from './registry.js';
export type { ProtocolContext, ProtocolFactory, ProtocolVariant } from './protocol.js';
