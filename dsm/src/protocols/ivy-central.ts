import { ivyModifiers } from './ivy-modifiers.js';
import { registerProtocol } from './registry.js';

/** IVY centralized manager: one node (default 0) tracks every unit's owner; all requests go through it. */
registerProtocol('ivy-central', ({ managerNode }) => ({
  name: 'ivy-central',
  manager: () => managerNode,
  home: () => managerNode,
}), ivyModifiers);
