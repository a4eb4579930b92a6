import type { DsmMessage } from '../messages.js';
import type { Hello } from './auth.js';

/** An Envelope as @grpc/proto-loader presents it (camelCase, longs as numbers, oneof name in `body`). */
export interface Envelope {
  body?: string;
  hello?: Hello;
  request?: WireRequest;
  forward?: WireRequest;
  page?: WirePage;
  update?: WirePage;
  prefetch?: WirePage;
  grant?: WireOwnership;
  push?: WireOwnership;
  reserve?: { unit: number };
  pushed?: { unit: number };
  credit?: { unit: number; ok: boolean; spare: number };

  invalidate?: { unit: number; version: number; writer: number };
  ack?: { unit: number; version: number };
}
interface WireOwnership {
  unit: number;
  version: number;
  copyset: number[];
  data: Uint8Array;
  zero: boolean;
  keepCopies?: boolean;
  home?: boolean;
  updateSet?: number[];
}
interface WireRequest {
  unit: number;
  access: 'READ' | 'WRITE';
  requester: number;
  hops: number;
  prefetch?: number;
}
interface WirePage {
  unit: number;
  version: number;
  owner: number;
  data: Uint8Array;
  zero: boolean;
}

export function encode(m: DsmMessage): Envelope {
  switch (m.type) {
    case 'request':
    case 'forward':
      return { [m.type]: { unit: m.unit, access: m.access === 'write' ? 'WRITE' : 'READ', requester: m.requester, hops: m.hops, prefetch: m.prefetch ?? 0 } };
    case 'page':
    case 'update':
    case 'prefetch':
      return { [m.type]: { unit: m.unit, version: m.version, owner: m.owner, data: m.data ?? new Uint8Array(0), zero: m.data === null } };
    case 'grant':
    case 'push':
      return {
        [m.type]: {
          unit: m.unit, version: m.version, copyset: m.copyset, data: m.data ?? new Uint8Array(0), zero: m.data === null,
          keepCopies: m.keepCopies === true, home: m.home === true, updateSet: m.updateSet ?? [],
        },
      };
    case 'invalidate':
      return { invalidate: { unit: m.unit, version: m.version, writer: m.writer } };
    case 'ack':
      return { ack: { unit: m.unit, version: m.version } };
    case 'reserve':
    case 'pushed':
      return { [m.type]: { unit: m.unit } };
    case 'credit':
      return { credit: { unit: m.unit, ok: m.ok, spare: m.spare } };
  }
}

/** The message in an envelope, or a one-line reason it is malformed. Ranges are checked by the node. */
export function decode(env: Envelope): DsmMessage | string {
  switch (env.body) {
    case 'request':
    case 'forward': {
      const r = env[env.body];
      if (!r) return `empty ${env.body}`;
      const m: DsmMessage = { type: env.body, unit: r.unit, access: r.access === 'WRITE' ? 'write' : 'read', requester: r.requester, hops: r.hops };
      return r.prefetch ? { ...m, prefetch: r.prefetch } : m;
    }
    case 'page':
    case 'update':
    case 'prefetch': {
      const p = env[env.body];
      if (!p) return `empty ${env.body}`;
      return { type: env.body, unit: p.unit, version: p.version, owner: p.owner, data: p.zero ? null : new Uint8Array(p.data) };
    }
    case 'grant':
    case 'push': {
      const g = env[env.body];
      if (!g) return `empty ${env.body}`;
      const m: DsmMessage = { type: env.body, unit: g.unit, version: g.version, copyset: [...g.copyset], data: g.zero ? null : new Uint8Array(g.data) };
      if (g.keepCopies) m.keepCopies = true;
      if (g.home) m.home = true;
      if (g.updateSet?.length) m.updateSet = [...g.updateSet];
      return m;
    }
    case 'invalidate':
      return { type: 'invalidate', ...env.invalidate! };
    case 'ack':
      return { type: 'ack', ...env.ack! };
    case 'reserve':
    case 'pushed':
      return { type: env.body, unit: env[env.body]!.unit };
    case 'credit':
      return { type: 'credit', unit: env.credit!.unit, ok: env.credit!.ok === true, spare: env.credit!.spare ?? 0 };
    case 'hello':
      return 'hello after the link was authenticated';
    default:
      return 'envelope without a body';
  }
}
