/**
 * A network namespace with a TAP in it, for the guest NIC's tests and the io
 * benchmark: the VM (unum or QEMU) runs inside the namespace and attaches to
 * the TAP, whose host side has HOST_ADDR/24; the guest takes GUEST_ADDR on
 * eth0. Nothing is added to the root namespace and all traffic stays in
 * this one (these addresses exist only here). `close()` deletes the
 * namespace, and with it the TAP; a process exit does the same if a caller
 * forgot or failed first.
 *
 * @example
 *   const lab = TapLab.open('io');
 *   const peer = await lab.startPeer(5201);
 *   spawn(lab.argv(['node', 'cli/bin/unum.js', 'run', ..., '--netdev', `tap,ifname=${lab.ifname}`]));
 *   lab.close();
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const NETIO_PEER = path.join(REPO, 'guest/linux/io/netio-peer.mjs');
export const HOST_ADDR = '10.79.0.1';
export const GUEST_ADDR = '10.79.0.2';
const open = new Set<TapLab>();

const sh = (argv: string[]) => spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 30_000 });

function must(argv: string[]): void {
  const r = sh(argv);
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${(r.stderr || r.error?.message || '').trim()}`);
}

export class TapLab {
  readonly ifname = 'utap0';
  readonly hostAddr = HOST_ADDR;
  readonly guestAddr = GUEST_ADDR;
  private readonly children = new Set<ChildProcess>();

  private constructor(readonly ns: string) {}

  /** Why this host cannot run a TapLab (not root, no TUN, no `ip netns`), or undefined. */
  static problem(): string | undefined {
    if (process.getuid?.() !== 0) return 'needs root (ip netns, a TAP)';
    if (!existsSync('/dev/net/tun')) return 'no /dev/net/tun';
    if (sh(['ip', 'netns', 'list']).status !== 0) return 'ip netns does not work here (iproute2 missing or no permission)';
    return undefined;
  }

  /** A fresh namespace `unum-TAG-PID` with its loopback up and a persistent TAP, host side up with HOST_ADDR/24. */
  static open(tag: string): TapLab {
    const ns = `unum-${tag}-${process.pid}`;
    sh(['ip', 'netns', 'del', ns]);
    must(['ip', 'netns', 'add', ns]);
    const lab = new TapLab(ns);
    open.add(lab);
    if (open.size === 1) process.once('exit', closeAll);
    try {
      must(lab.argv(['ip', 'link', 'set', 'lo', 'up']));
      must(lab.argv(['ip', 'tuntap', 'add', lab.ifname, 'mode', 'tap']));
      must(lab.argv(['ip', 'addr', 'add', `${HOST_ADDR}/24`, 'dev', lab.ifname]));
      must(lab.argv(['ip', 'link', 'set', lab.ifname, 'up']));
    } catch (e) {
      lab.close();
      throw e;
    }
    return lab;
  }

  /** `cmd` run inside the namespace. */
  argv(cmd: string[]): string[] {
    return ['ip', 'netns', 'exec', this.ns, ...cmd];
  }

  /** Shell commands for the guest: eth0 up with GUEST_ADDR/24. */
  guestUp(dev = 'eth0'): string {
    return `ip addr add ${GUEST_ADDR}/24 dev ${dev}; ip link set ${dev} up`;
  }

  /** netio-peer.mjs on HOST_ADDR:port inside the namespace, once it listens (it exits by itself after `seconds`). */
  startPeer(port: number, seconds = 600): Promise<ChildProcess> {
    const argv = this.argv([process.execPath, NETIO_PEER, HOST_ADDR, String(port), String(seconds)]);
    const peer = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
    this.children.add(peer);
    return new Promise((resolve, reject) => {
      peer.stdout!.once('data', () => resolve(peer));
      peer.once('exit', (code) => reject(new Error(`netio-peer exited ${code} before listening`)));
    });
  }

  /** Ends what this lab started and deletes the namespace (its TAP goes with it). */
  close(): void {
    for (const c of this.children) c.kill('SIGTERM');
    this.children.clear();
    sh(['ip', 'netns', 'del', this.ns]);
    open.delete(this);
  }

  /** Whether the namespace still exists (for tests of the cleanup). */
  exists(): boolean {
    return sh(['ip', 'netns', 'list']).stdout.split('\n').some((l) => l.split(' ')[0] === this.ns);
  }
}

function closeAll(): void {
  for (const lab of [...open]) lab.close();
}
