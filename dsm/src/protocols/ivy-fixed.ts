import { ivyModifiers } from './ivy-modifiers.js';
import { registerProtocol } from './registry.js';

/** IVY fixed distributed manager: unit p is managed by node p mod N. */
registerProtocol('ivy-fixed', ({ nodes }) => ({
  name: 'ivy-fixed',
  manager: (unit) => unit % nodes,
  home: (unit) => unit % nodes,
}), ivyModifiers);
