import type { DsmMessage } from '../messages.js';
import type { Hello } from './auth.js';

/** An Envelope as @grpc/proto-loader presents it (camelCase, longs as numbers, oneof name in `body`). */
export interface Envelope {
  body?: string;
  hello?: Hello;
  request?: WireRequest;
  forward?: WireRequest;
  page?: { unit: number; version: number; owner: number; data: Uint8Array; zero: boolean };
  grant?: { unit: number; version: number; copyset: number[]; data: Uint8Array; zero: boolean };
  invalidate?: { unit: number; version: number; writer: number };
  ack?: { unit: number; version: number };
}
interface WireRequest {
  unit: number;
  access: 'READ' | 'WRITE';
  requester: number;
  hops: number;
}

export function encode(m: DsmMessage): Envelope {
  switch (m.type) {
    case 'request':
    case 'forward':
      return { [m.type]: { unit: m.unit, access: m.access === 'write' ? 'WRITE' : 'READ', requester: m.requester, hops: m.hops } };
    case 'page':
      return { page: { unit: m.unit, version: m.version, owner: m.owner, data: m.data ?? new Uint8Array(0), zero: m.data === null } };
    case 'grant':
      return { grant: { unit: m.unit, version: m.version, copyset: m.copyset, data: m.data ?? new Uint8Array(0), zero: m.data === null } };
    case 'invalidate':
      return { invalidate: { unit: m.unit, version: m.version, writer: m.writer } };
    case 'ack':
      return { ack: { unit: m.unit, version: m.version } };
  }
}

/** The message in an envelope, or a one-line reason it is malformed. Ranges are checked by the node. */
export function decode(env: Envelope): DsmMessage | string {
  switch (env.body) {
    case 'request':
    case 'forward': {
      const r = env[env.body];
      if (!r) return `empty ${env.body}`;
      return { type: env.body, unit: r.unit, access: r.access === 'WRITE' ? 'write' : 'read', requester: r.requester, hops: r.hops };
    }
    case 'page': {
      const p = env.page!;
      return { type: 'page', unit: p.unit, version: p.version, owner: p.owner, data: p.zero ? null : new Uint8Array(p.data) };
    }
    case 'grant': {
      const g = env.grant!;
      return { type: 'grant', unit: g.unit, version: g.version, copyset: [...g.copyset], data: g.zero ? null : new Uint8Array(g.data) };
    }
    case 'invalidate':
      return { type: 'invalidate', ...env.invalidate! };
    case 'ack':
      return { type: 'ack', ...env.ack! };
    case 'hello':
      return 'hello after the link was authenticated';
    default:
      return 'envelope without a body';
  }
}
