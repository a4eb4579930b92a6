import type { Envelope } from '@unum/protos/dsm';
import { Access as WireAccess } from '@unum/protos/dsm';
import type { DsmMessage } from '../messages.js';

const EMPTY = new Uint8Array(0);

/** A DSM message as the wire's Envelope (protos/dsm.proto). A zero unit travels as `zero` with no bytes. */
export function encode(m: DsmMessage): Envelope {
  switch (m.type) {
    case 'request':
    case 'forward':
      return { body: { $case: m.type, value: {
        unit: m.unit, access: m.access === 'write' ? WireAccess.WRITE : WireAccess.READ, requester: m.requester, hops: m.hops, prefetch: m.prefetch ?? 0,
      } } };
    case 'page':
    case 'update':
    case 'prefetch':
      return { body: { $case: m.type, value: { unit: m.unit, version: m.version, owner: m.owner, data: m.data ?? EMPTY, zero: m.data === null } } };
    case 'grant':
    case 'push':
      return { body: { $case: m.type, value: {
        unit: m.unit, version: m.version, copyset: m.copyset, data: m.data ?? EMPTY, zero: m.data === null,
        keepCopies: m.keepCopies === true, home: m.home === true, updateSet: m.updateSet ?? [],
      } } };
    case 'invalidate':
      return { body: { $case: 'invalidate', value: { unit: m.unit, version: m.version, writer: m.writer } } };
    case 'ack':
      return { body: { $case: 'ack', value: { unit: m.unit, version: m.version } } };
    case 'reserve':
    case 'pushed':
      return { body: { $case: m.type, value: { unit: m.unit } } };
    case 'credit':
      return { body: { $case: 'credit', value: { unit: m.unit, ok: m.ok, spare: m.spare } } };
  }
}

/** The message in an envelope, or a one-line reason it is malformed. Ranges are checked by the node. */
export function decode(env: Envelope): DsmMessage | string {
  const b = env.body;
  switch (b?.$case) {
    case 'request':
    case 'forward': {
      const r = b.value;
      const m: DsmMessage = { type: b.$case, unit: r.unit, access: r.access === WireAccess.WRITE ? 'write' : 'read', requester: r.requester, hops: r.hops };
      return r.prefetch ? { ...m, prefetch: r.prefetch } : m;
    }
    case 'page':
    case 'update':
    case 'prefetch': {
      const p = b.value;
      return { type: b.$case, unit: p.unit, version: p.version, owner: p.owner, data: p.zero ? null : p.data };
    }
    case 'grant':
    case 'push': {
      const g = b.value;
      const m: DsmMessage = { type: b.$case, unit: g.unit, version: g.version, copyset: g.copyset, data: g.zero ? null : g.data };
      if (g.keepCopies) m.keepCopies = true;
      if (g.home) m.home = true;
      if (g.updateSet.length) m.updateSet = g.updateSet;
      return m;
    }
    case 'invalidate':
      return { type: 'invalidate', unit: b.value.unit, version: b.value.version, writer: b.value.writer };
    case 'ack':
      return { type: 'ack', unit: b.value.unit, version: b.value.version };
    case 'reserve':
    case 'pushed':
      return { type: b.$case, unit: b.value.unit };
    case 'credit':
      return { type: 'credit', unit: b.value.unit, ok: b.value.ok, spare: b.value.spare };
    case 'hello':
      return 'hello after the link was authenticated';
    default:
      return 'envelope without a body';
  }
}
