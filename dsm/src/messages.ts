import type { Access } from './page-store.js';
import type { Acknowledge, Credit, Invalidate, Ownership, PageData, Request, Reserve } from '@unum/protos/dsm';

/**
 * DSM protocol messages as the core handles them: each is the generated
 * protos/dsm.proto message (the one definition of its fields) plus its
 * envelope case in `type`, with the core's spelling of two fields: `access`
 * as a word, and a zero unit as `data: null` (the wire's `zero` flag).
 * grpc/codec.ts converts at the wire. The sender of a message is known from
 * the authenticated link, never from a field.
 */
type WithData<M> = Omit<M, 'data' | 'zero'> & { data: Uint8Array | null };

/** `request` goes to the first hop (a manager, or the probable owner); `forward` is every later hop. `prefetch`: sequential prefetch, the owner may also send copies of units unit+1..unit+prefetch it owns. */
export type RequestMsg = { type: 'request' | 'forward' } & Omit<Request, 'access' | 'prefetch'> & { access: Access; prefetch?: number };
/** A read copy from the owner: `page` answers a request; `update` (write-update) and `prefetch` are copies nobody asked for, installed only if the receiver holds nothing newer. */
export type PageMsg = { type: 'page' | 'update' | 'prefetch' } & WithData<PageData>;
/**
 * Ownership transfer: the data and the copyset the new owner must invalidate.
 * `push` is a transfer nobody faulted on (a full node hands an owned unit to
 * a peer that reserved room with a `credit`): the copyset stays valid, the
 * receiver owns the unit with Read. `keepCopies`: a read grant (home-based
 * recall); `home`: home migration; `updateSet`: write-update's sharers.
 */
export type GrantMsg = { type: 'grant' | 'push' } & WithData<Omit<Ownership, 'keepCopies' | 'home' | 'updateSet'>>
  & Partial<Pick<Ownership, 'keepCopies' | 'home' | 'updateSet'>>;
/** Drop copies of `version` (or older) of the unit; answer with an ack. */
export type InvalidateMsg = { type: 'invalidate' } & Invalidate;
export type AckMsg = { type: 'ack' } & Acknowledge;
/** `reserve`: a full owner asks a peer for room for one unit. `pushed`: a manager (ivy-central/fixed) that received a push tells the pusher. */
export type ReserveMsg = { type: 'reserve' | 'pushed' } & Reserve;
/** The answer to a `reserve`: `ok` = room reserved and the unit held for the push; `spare` = units it could still take. */
export type CreditMsg = { type: 'credit' } & Credit;
export type DsmMessage = RequestMsg | PageMsg | GrantMsg | InvalidateMsg | AckMsg | ReserveMsg | CreditMsg;
export type MessageType = DsmMessage['type'];
export const messageTypes: readonly MessageType[] = [
  'request', 'forward', 'page', 'update', 'prefetch', 'grant', 'invalidate', 'ack', 'reserve', 'credit', 'push', 'pushed',
];

/** Page-data bytes carried by a message (the part that scales with the unit). */
export function payloadBytes(m: DsmMessage): number {
  if ('data' in m) return m.data?.length ?? 0;
  return 0;
}

/** Limits a message must respect to be accepted by a node. */
export interface MessageLimits {
  nodes: number;
  units: number;
  unitBytes: number;
}

const isIndex = (v: unknown, max: number): boolean => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) < max;

/** Why `m` is not acceptable, or undefined if it is. */
export function checkMessage(m: DsmMessage, lim: MessageLimits): string | undefined {
  if (!isIndex(m.unit, lim.units)) return `unit ${m.unit} out of range`;
  switch (m.type) {
    case 'request':
    case 'forward':
      if (m.access !== 'read' && m.access !== 'write') return `bad access ${String(m.access)}`;
      if (!isIndex(m.requester, lim.nodes)) return `requester ${m.requester} out of range`;
      if (!isIndex(m.hops, 1 << 16)) return `bad hop count ${m.hops}`;
      if (m.prefetch !== undefined && !isIndex(m.prefetch, 1 << 10)) return `bad prefetch count ${m.prefetch}`;
      return undefined;
    case 'page':
    case 'update':
    case 'prefetch':
      if (!isIndex(m.owner, lim.nodes)) return `owner ${m.owner} out of range`;
      return checkVersionData(m.version, m.data, lim);
    case 'grant':
    case 'push':
      if ([...m.copyset, ...(m.updateSet ?? [])].some((n) => !isIndex(n, lim.nodes))) return 'copyset names an unknown node';
      return checkVersionData(m.version, m.data, lim);
    case 'invalidate':
      if (!isIndex(m.writer, lim.nodes)) return `writer ${m.writer} out of range`;
      return checkVersion(m.version);
    case 'ack':
      return checkVersion(m.version);
    case 'reserve':
    case 'pushed':
      return undefined;
    case 'credit':
      return isIndex(m.spare, 2 ** 32) ? undefined : `bad spare count ${m.spare}`;
  }
}

function checkVersion(v: number): string | undefined {
  return Number.isSafeInteger(v) && v >= 0 ? undefined : `bad version ${v}`;
}

function checkVersionData(v: number, data: Uint8Array | null, lim: MessageLimits): string | undefined {
  if (data !== null && data.length !== lim.unitBytes) return `data is ${data.length} bytes, unit is ${lim.unitBytes}`;
  return checkVersion(v);
}
