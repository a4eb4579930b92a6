/**
 * `--netdev`: the VM's network backends, parsed once (for the CLI, the
 * `--cluster` client and CreateVm alike). QEMU's shape,
 * `tap,ifname=NAME[,id=ID][,mac=MAC][,script=no][,downscript=no]`; each
 * netdev gets its own virtio-net NIC on the device node (QEMU pairs them
 * with `-device virtio-net-device,netdev=ID`; unum pairs them implicitly and
 * takes the MAC on the netdev). unum never runs ifup scripts, so only
 * `script=no`/`downscript=no` are accepted, as QEMU's own tests write them.
 *
 * @example
 *   netdevsOf(['tap,ifname=tap0']);
 *   // [{ backend: 'tap', id: 'net0', ifname: 'tap0', mac: '52:54:00:12:34:56' }]
 */
import { DEFAULT_MAC, macBytes } from '@unum/machine';
import { checkIfname } from '@unum/node-agent';
import { MachineError } from '../machine-error.js';

export interface NetdevSpec {
  backend: 'tap';
  id: string;
  /** The host TAP interface, opened (or created) on the device node. */
  ifname: string;
  mac: string;
}

const bad = (text: string, why: string): MachineError => new MachineError('bad-config', `bad --netdev '${text}': ${why}`);

/** Every `--netdev` of a VM; ids, interfaces and MACs must differ. */
export function netdevsOf(texts: readonly string[]): NetdevSpec[] {
  const specs = texts.map((t, i) => netdevOf(t, i));
  for (const key of ['id', 'ifname', 'mac'] as const) {
    const seen = new Set<string>();
    for (const [i, s] of specs.entries()) {
      if (seen.has(s[key])) throw bad(texts[i]!, `${key} ${s[key]} is used twice`);
      seen.add(s[key]);
    }
  }
  return specs;
}

/** One `--netdev`; the i-th gets id `net<i>` and QEMU's MAC + i unless it names its own. */
export function netdevOf(text: string, index = 0): NetdevSpec {
  const [backend, ...opts] = text.trim().split(',');
  if (backend === 'user') throw bad(text, 'unum has no user-mode network backend; use tap,ifname=NAME (docs/net.md)');
  if (backend !== 'tap') throw bad(text, `unknown backend '${backend}' (have: tap)`);
  const kv = new Map<string, string>();
  for (const o of opts) {
    const eq = o.indexOf('=');
    if (eq <= 0) throw bad(text, `'${o}' is not key=value`);
    const [k, v] = [o.slice(0, eq), o.slice(eq + 1)];
    if (kv.has(k)) throw bad(text, `${k}= given twice`);
    kv.set(k, v);
  }
  for (const k of kv.keys()) {
    if (!['ifname', 'id', 'mac', 'script', 'downscript'].includes(k)) throw bad(text, `unknown option ${k}= (have: ifname, id, mac, script=no, downscript=no)`);
  }
  for (const k of ['script', 'downscript']) {
    if (kv.has(k) && kv.get(k) !== 'no') throw bad(text, `${k}=${kv.get(k)}: unum runs no scripts (only ${k}=no)`);
  }
  const ifname = kv.get('ifname');
  if (ifname === undefined) throw bad(text, 'ifname=NAME is required (the host TAP interface)');
  try {
    checkIfname(ifname);
  } catch (e) {
    throw bad(text, (e as Error).message);
  }
  const id = kv.get('id') ?? `net${index}`;
  if (!/^[A-Za-z][A-Za-z0-9_.-]{0,31}$/.test(id)) throw bad(text, `id ${id}: a letter, then letters, digits, _ . - (at most 32)`);
  const mac = (kv.get('mac') ?? nthMac(index)).toLowerCase();
  try {
    const b = macBytes(mac);
    if (b[0]! & 1) throw new RangeError(`mac ${mac} is a multicast address`);
  } catch (e) {
    throw bad(text, (e as Error).message);
  }
  return { backend: 'tap', id, ifname, mac };
}

/** QEMU's default MAC with its last byte advanced by `i` (52:54:00:12:34:56, :57, ...). */
function nthMac(i: number): string {
  const b = macBytes(DEFAULT_MAC);
  b[5] = (b[5]! + i) & 0xff;
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
}
