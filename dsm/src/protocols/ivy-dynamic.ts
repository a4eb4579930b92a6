import { ivyModifiers } from './ivy-modifiers.js';
import { registerProtocol } from './registry.js';

/**
 * IVY dynamic distributed manager (GiantVM's): no manager; each node follows
 * its probable-owner hint, and the core compresses the chain (a forwarded
 * write points the hint at the requester, a received copy at its owner).
 */
registerProtocol('ivy-dynamic', ({ nodes }) => ({
  name: 'ivy-dynamic',
  manager: () => undefined,
  home: (unit) => unit % nodes,
}), ivyModifiers);
