/**
 * `--netdev`: the VM's network backends, parsed once by the CLI into the
 * wire's `Netdev` (a VirtioDeviceSpec each) and checked again by vmSpecOf
 * (`checkNetdevs`) for a request off the wire. QEMU's shape,
 * `tap,ifname=NAME[,id=ID][,mac=MAC][,script=no][,downscript=no]`; each
 * netdev gets its own virtio-net NIC on the device node (QEMU pairs them
 * with `-device virtio-net-device,netdev=ID`; unum pairs them implicitly and
 * takes the MAC on the netdev). unum never runs ifup scripts, so only
 * `script=no`/`downscript=no` are accepted, as QEMU's own tests write them.
 *
 * @example
 *   netdevsOf(['tap,ifname=tap0']);
 *   // [{ id: 'net0', ifname: 'tap0', mac: '52:54:00:12:34:56' }]
 */
import { DEFAULT_MAC, macBytes } from '@unum/machine';
import { checkIfname, TapPort } from '@unum/node-agent';
import type { Netdev, VirtioDeviceSpec } from '@unum/protos/cluster';
import { MachineError } from '../machine-error.js';

const bad = (text: string, why: string): MachineError => new MachineError('bad-config', `bad --netdev '${text}': ${why}`);

/** Every `--netdev` of a VM; ids, interfaces and MACs must differ. */
export function netdevsOf(texts: readonly string[]): Netdev[] {
  const specs = texts.map((t, i) => netdevOf(t, i));
  distinct(specs, (i) => texts[i]!);
  return specs;
}

/** The NICs among a VM's devices (from the wire) checked as the CLI checks them. */
export function checkNetdevs(devices: readonly VirtioDeviceSpec[]): void {
  const nets = devices.flatMap((d) => (d.kind?.$case === 'net' ? [d.kind.value] : []));
  const text = (n: Netdev): string => `tap,id=${n.id},ifname=${n.ifname},mac=${n.mac}`;
  for (const n of nets) {
    if (!/^[A-Za-z][A-Za-z0-9_.-]{0,31}$/.test(n.id)) throw bad(text(n), `id ${n.id}: a letter, then letters, digits, _ . - (at most 32)`);
    checkName(text(n), n.ifname);
    checkMac(text(n), n.mac);
  }
  distinct(nets, (i) => text(nets[i]!));
}

function distinct(specs: readonly Netdev[], textOf: (i: number) => string): void {
  for (const key of ['id', 'ifname', 'mac'] as const) {
    const seen = new Set<string>();
    for (const [i, s] of specs.entries()) {
      if (seen.has(s[key])) throw bad(textOf(i), `${key} ${s[key]} is used twice`);
      seen.add(s[key]);
    }
  }
}

function checkName(text: string, ifname: string): void {
  try {
    checkIfname(ifname);
  } catch (e) {
    throw bad(text, (e as Error).message);
  }
}

function checkMac(text: string, mac: string): void {
  try {
    const b = macBytes(mac);
    if (b[0]! & 1) throw new RangeError(`mac ${mac} is a multicast address`);
  } catch (e) {
    throw bad(text, (e as Error).message);
  }
}

/** One `--netdev`; the i-th gets id `net<i>` and QEMU's MAC + i unless it names its own. */
export function netdevOf(text: string, index = 0): Netdev {
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
  checkName(text, ifname);
  const id = kv.get('id') ?? `net${index}`;
  if (!/^[A-Za-z][A-Za-z0-9_.-]{0,31}$/.test(id)) throw bad(text, `id ${id}: a letter, then letters, digits, _ . - (at most 32)`);
  const mac = (kv.get('mac') ?? nthMac(index)).toLowerCase();
  checkMac(text, mac);
  return { id, ifname, mac };
}

/** QEMU's default MAC with its last byte advanced by `i` (52:54:00:12:34:56, :57, ...). */
function nthMac(i: number): string {
  const b = macBytes(DEFAULT_MAC);
  b[5] = (b[5]! + i) & 0xff;
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
}

/**
 * Opens and closes each NIC's TAP here, so a TAP this host cannot attach (no
 * /dev/net/tun, not allowed to create it, busy, not a TAP) is one line and
 * exit 2 before any node starts. For VMs whose device node is on this host
 * (one local node, an embedded cluster); a standing cluster's agent reports
 * it when the VM is set up.
 */
export function probeTaps(nets: readonly Netdev[]): void {
  for (const n of nets) {
    try {
      TapPort.open(n.ifname).close();
    } catch (e) {
      throw bad(`tap,ifname=${n.ifname}`, (e as Error).message);
    }
  }
}
