/**
 * A Linux TAP device as the host end of a guest NIC: whole Ethernet frames
 * in and out, one read(2)/write(2) each (IFF_NO_PI: no packet-info header).
 *
 * Node.js cannot ioctl(TUNSETIFF), and libuv treats a character device as a
 * file (no readiness events), so koffi (an FFI with prebuilt binaries shipped
 * in its npm package) calls ioctl and poll(2) from libc. The fd is
 * non-blocking; a poll with a short timeout runs on koffi's async thread and
 * every ready frame is then read synchronously, so closing never waits on a
 * read that blocks forever (docs/net.md).
 *
 * @example
 *   const tap = TapPort.open('tap0');
 *   tap.onFrame((frame) => console.log(frame.length));
 *   tap.send(frame);
 *   tap.close();
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import type koffiModule from 'koffi';
import type { NetPort } from '@unum/machine';

/** _IOW('T', 202, int) from <linux/if_tun.h>. */
const TUNSETIFF = 0x400454ca;
const IFF_TAP = 0x0002;
const IFF_NO_PI = 0x1000;
const IFNAMSIZ = 16;
/** struct ifreq: the name, then a union whose first member is the flags (short). */
const IFREQ_BYTES = 40;
const POLLIN = 0x0001;
/** How long one poll waits, so close() takes effect within this. */
const POLL_MS = 100;
/** Larger than any frame a TAP hands out (64 KiB GSO frames need IFF_VNET_HDR, which is off). */
const MAX_FRAME = 65536;

/** libc's ioctl and poll, bound on first use: importing this file must work where there is no glibc,
 *  and koffi (its native library) loads only for a VM with a TAP. */
type Func = ReturnType<ReturnType<typeof koffiModule.load>['func']>;
let libc: { ioctl: Func; poll: Func; errno: () => number } | undefined;
function linuxLibc(): { ioctl: Func; poll: Func; errno: () => number } {
  if (libc) return libc;
  const koffi = createRequire(import.meta.url)('koffi') as typeof koffiModule;
  const lib = koffi.load('libc.so.6');
  const PollFd = koffi.struct('unum_pollfd', { fd: 'int', events: 'short', revents: 'short' });
  libc = {
    ioctl: lib.func('int ioctl(int fd, unsigned long request, _Inout_ uint8_t *arg)'),
    poll: lib.func('poll', 'int', [koffi.inout(koffi.pointer(PollFd)), 'ulong', 'int']),
    errno: () => koffi.errno(),
  };
  return libc;
}

/** A TAP that cannot be opened: a missing /dev/net/tun, no permission, a busy name. */
export class TapError extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
    this.name = 'TapError';
  }
}

/** Interface names the kernel accepts (dev_valid_name) and a shell will not misread. */
export function checkIfname(name: string): void {
  if (!/^[A-Za-z0-9_.-]{1,15}$/.test(name) || name === '.' || name === '..') {
    throw new TapError(`bad TAP interface name '${name}': 1-15 of A-Z a-z 0-9 _ . -`, 'bad-name');
  }
}

export class TapPort implements NetPort {
  private receive: ((frame: Uint8Array) => void) | undefined;
  private closed = false;
  private paused = false;
  private polling = false;
  private readonly buf = Buffer.allocUnsafe(MAX_FRAME);
  /** Frames in and out, for stats and tests. */
  framesIn = 0;
  framesOut = 0;

  private constructor(readonly ifname: string, private readonly fd: number) {}

  /** Attaches to TAP `ifname`, creating it if it does not exist (that needs CAP_NET_ADMIN). */
  static open(ifname: string): TapPort {
    checkIfname(ifname);
    const { ioctl } = linuxLibc();
    let fd: number;
    try {
      fd = fs.openSync('/dev/net/tun', fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
      throw new TapError(`cannot open /dev/net/tun for TAP '${ifname}': ${code}`, code);
    }
    const req = Buffer.alloc(IFREQ_BYTES);
    req.write(ifname, 0, IFNAMSIZ - 1, 'ascii');
    req.writeUInt16LE(IFF_TAP | IFF_NO_PI, IFNAMSIZ);
    if (ioctl(fd, TUNSETIFF, req) < 0) {
      const e = linuxLibc().errno(); // the errno koffi saved right after the call
      fs.closeSync(fd);
      const why = e === 1 ? 'EPERM: creating a TAP needs CAP_NET_ADMIN (or make it first: ip tuntap add NAME mode tap user YOU)'
        : e === 16 ? 'EBUSY: another process has it open' : e === 22 ? 'EINVAL: it exists and is not a TAP' : `errno ${e}`;
      throw new TapError(`cannot attach TAP '${ifname}': ${why}`, `errno-${e}`);
    }
    return new TapPort(ifname, fd);
  }

  onFrame(receive: (frame: Uint8Array) => void): void {
    this.receive = receive;
    this.pump();
  }

  /** One frame to the host; a frame the host stack will not take is dropped, as on a wire. */
  send(frame: Uint8Array): void {
    if (this.closed) return;
    try {
      fs.writeSync(this.fd, frame);
      this.framesOut++;
    } catch {
      // EIO while the interface is down, ENOBUFS/EAGAIN under pressure: a lost frame, not a host failure.
    }
  }

  /** Stop taking frames from the host (the guest has no receive buffers); they wait in the kernel's queue. */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.pump();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // A poll in flight holds only the number; it returns within POLL_MS and sees `closed`.
    if (!this.polling) fs.closeSync(this.fd);
  }

  /** Poll on koffi's thread, then read every ready frame here, until paused or closed. */
  private pump(): void {
    if (this.polling || this.closed || this.paused || !this.receive) return;
    this.polling = true;
    const pfd = { fd: this.fd, events: POLLIN, revents: 0 };
    linuxLibc().poll.async(pfd, 1, POLL_MS, (err: unknown) => {
      this.polling = false;
      if (this.closed) {
        fs.closeSync(this.fd);
        return;
      }
      if (!err && !this.drain()) return;
      this.pump();
    });
  }

  /** False when the TAP is gone (deleted under us): stop polling rather than spin on its error. */
  private drain(): boolean {
    while (!this.closed && !this.paused && this.receive) {
      let n: number;
      try {
        n = fs.readSync(this.fd, this.buf, 0, MAX_FRAME, null);
      } catch (e) {
        return (e as NodeJS.ErrnoException).code === 'EAGAIN';
      }
      if (n <= 0) return true;
      this.framesIn++;
      this.receive(Uint8Array.prototype.slice.call(this.buf, 0, n)); // a copy: Buffer#slice would be a view of buf, overwritten by the next read
    }
    return true;
  }
}
