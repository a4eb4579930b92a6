/**
 * The device flags of `unum run`, shaped like QEMU's: `--drive
 * file=F[,format=raw][,readonly=on]` (repeatable, a virtio-blk disk each),
 * `--device virtio-rng|virtio-console` (repeatable), `--netdev
 * tap,ifname=NAME` (repeatable, a virtio-net NIC each; docs/net.md) and
 * `--device-node N`. Parsed once into the VmSpec's `devices` (drives first,
 * then --device, then --netdev, each in command-line order; the first takes the highest virtio-mmio slot, so
 * the first drive is /dev/vda) and `deviceNode`. A bad flag or a drive file
 * that cannot be opened as asked is one line and exit 2, before any node starts.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { VirtioDeviceSpec } from '@unum/protos/cluster';
import { netdevsOf, probeTaps } from '@unum/coordinator';
import { parseIntIn } from './parse.js';
import { UsageError } from './usage-error.js';

export interface DeviceCliOptions {
  drive?: string[];
  device?: string[];
  netdev?: string[];
  deviceNode?: string;
}

const collect = (v: string, all: string[]): string[] => [...all, v];

/** --device names (QEMU's, and the short ones). */
const DEVICES: Record<string, 'rng' | 'console'> = {
  'virtio-rng': 'rng', 'virtio-rng-device': 'rng', 'virtio-console': 'console', virtconsole: 'console',
};

export function addDeviceOptions(cmd: Command): Command {
  return cmd
    .option('--drive <spec>', 'a virtio-blk disk: file=PATH[,format=raw][,readonly=on] (repeatable; the first is /dev/vda)', collect, [])
    .option('--device <name>', `a virtio device: ${Object.keys(DEVICES).join(', ')} (repeatable)`, collect, [])
    .option('--netdev <spec>', 'a virtio-net NIC on a host TAP of the device node: tap,ifname=NAME[,mac=MAC] (repeatable; docs/net.md)', collect, [])
    .option('--device-node <n>', 'the node whose agent runs the virtio devices and does their DMA through the DSM (default 0)');
}

/**
 * The devices and the device node, checked; `nodes` when known (an embedded
 * cluster, one local node). `filesHere`: the device node runs on this host,
 * so drive files are checked now (on a standing cluster its agent opens them,
 * and a failure there fails the VM's setup with the same reason).
 */
export function devicesOf(o: DeviceCliOptions, nodes?: number, filesHere = true): { devices: VirtioDeviceSpec[]; deviceNode: number } {
  const devices: VirtioDeviceSpec[] = (o.drive ?? []).map((d) => ({ kind: { $case: 'drive', value: parseDrive(d, filesHere) } }));
  for (const name of o.device ?? []) {
    const kind = DEVICES[name.trim()];
    if (!kind) throw new UsageError(`unknown --device '${name}' (have: ${Object.keys(DEVICES).join(', ')})`);
    devices.push({ kind: { $case: kind, value: {} } });
  }
  const nets = netdevsOf(o.netdev ?? []);
  if (nets.length > 0 && nodes !== undefined) probeTaps(nets); // the device node is on this host
  for (const net of nets) devices.push({ kind: { $case: 'net', value: net } });
  const deviceNode = o.deviceNode === undefined ? 0 : parseIntIn(o.deviceNode, '--device-node', 0, 63);
  if (nodes !== undefined && deviceNode >= nodes) {
    throw new UsageError(`bad --device-node ${deviceNode}: the VM has ${nodes} node(s) (0..${nodes - 1})`);
  }
  return { devices, deviceNode };
}

/** `file=F[,format=raw][,readonly=on|off][,if=virtio]`; `,,` is a comma inside a value (as QEMU). */
export function parseDrive(text: string, checkFile = true): { file: string; readonly: boolean } {
  const fields = text.replace(/,,/g, '\0').split(',').map((f) => f.replace(/\0/g, ','));
  let file: string | undefined;
  let readonly = false;
  for (const f of fields) {
    const eq = f.indexOf('=');
    const [key, value] = eq < 0 ? [f, ''] : [f.slice(0, eq), f.slice(eq + 1)];
    switch (key) {
      case 'file': file = value; break;
      case 'format': if (value !== 'raw') throw new UsageError(`bad --drive '${text}': format=${value} (unum reads raw images only)`); break;
      case 'readonly':
        if (!['on', 'off', 'true', 'false'].includes(value)) throw new UsageError(`bad --drive '${text}': readonly=${value} (on or off)`);
        readonly = value === 'on' || value === 'true';
        break;
      case 'if': if (value !== 'virtio') throw new UsageError(`bad --drive '${text}': if=${value} (only virtio)`); break;
      default: throw new UsageError(`bad --drive '${text}': unknown key '${key}' (have: file, format, readonly, if)`);
    }
  }
  if (!file) throw new UsageError(`bad --drive '${text}': no file=PATH`);
  if (!checkFile) return { file, readonly };
  const path = resolve(file);
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new UsageError(`bad --drive '${text}': ${file} is not a regular file`);
    size = st.size;
    accessSync(path, readonly ? constants.R_OK : constants.R_OK | constants.W_OK);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`bad --drive '${text}': cannot open ${file}${readonly ? '' : ' for writing'} (${code ?? String(e)})`);
  }
  if (size < 512) throw new UsageError(`bad --drive '${text}': ${file} is smaller than one 512-byte sector`);
  return { file: path, readonly };
}
