import type { MemoryPageStore } from '../memory-page-store.js';
import type { MessageType } from '../messages.js';
import type { Rights } from '../page-store.js';
import type { UnitEntry } from '../unit-entry.js';

/**
 * One (node, unit) as the model's ST lines print it (dsm/model/dsm-steps.pml,
 * printState) and as the code holds it (UnitEntry plus the store's rights):
 * what both conformance directions compare after every step.
 */

/** The fields of an ST line after node and unit, in the order printState prints them. */
export const stateFields = ['owner', 'lazy', 'rights', 'pending', 'version', 'copyset', 'prob', 'mgrOwner', 'deferred',
  'holding', 'acks', 'staleBelow', 'updateSet', 'expecting', 'pushedAway'] as const;
export type StateField = (typeof stateFields)[number];
/** Compared after every step; `updateSet` is the write-update variant's own state, not in UnitEntry (see docs/dsm.md). */
const compared: StateField[] = stateFields.filter((f) => f !== 'updateSet');

/** The model's mtype for each message type of messages.ts. */
export const mtypeOf: Record<MessageType, string> = {
  request: 'REQ', forward: 'FWD', page: 'PAGE', update: 'UPD', prefetch: 'PREF', grant: 'GRANT',
  push: 'PUSH', invalidate: 'INV', ack: 'ACK', reserve: 'RESERVE', pushed: 'PUSHED', credit: 'CREDIT',
};

export const rightsRank: Record<Rights, number> = { none: 0, read: 1, write: 2 };
const bits = (s: Iterable<number> | null | undefined) => [...(s ?? [])].reduce((m, n) => m | (1 << n), 0);

/** A DsmNode's UnitEntry (a private member: test-only access). */
export function unitEntry(node: object, unit: number): UnitEntry {
  return (node as { entry(unit: number): UnitEntry }).entry(unit);
}

/** The code's (node, unit) in the model's terms, stateFields order; the store's rights must match the entry's. */
export function codeState(e: UnitEntry, store: MemoryPageStore, unit: number): { values: number[]; storeRights: number } {
  const v: Record<StateField, number> = {
    owner: +e.owner, lazy: +e.lazy, rights: rightsRank[e.rights], pending: e.pending ? rightsRank[e.pending.access] : 0, version: e.version,
    copyset: bits(e.copyset), prob: e.prob, mgrOwner: e.mgrOwner, deferred: e.deferred.length, holding: +e.holding,
    acks: bits(e.acks), staleBelow: e.staleBelow, updateSet: 0, expecting: +(e.expecting !== null), pushedAway: +e.pushedAway,
  };
  return { values: stateFields.map((f) => v[f]), storeRights: rightsRank[store.rightsOf(unit)] };
}

/** The fields where model and code differ, as "field model X code Y" (empty: they agree). */
export function stateDiff(model: number[], code: { values: number[]; storeRights: number }): string[] {
  const out = compared.filter((f) => model[stateFields.indexOf(f)] !== code.values[stateFields.indexOf(f)])
    .map((f) => `${f} model ${model[stateFields.indexOf(f)]} code ${code.values[stateFields.indexOf(f)]}`);
  const r = model[stateFields.indexOf('rights')];
  if (code.storeRights !== r) out.push(`store rights model ${r} code ${code.storeRights}`);
  return out;
}

/** Parses one ST line ("ST node unit fields...") into its node, unit and values. */
export function parseStateLine(line: string): { node: number; unit: number; values: number[] } {
  const v = line.slice(3).trim().split(/\s+/).map(Number);
  if (v.length !== 2 + stateFields.length || v.some((x) => !Number.isInteger(x))) throw new Error(`model trace: bad state line: ${line}`);
  return { node: v[0], unit: v[1], values: v.slice(2) };
}
