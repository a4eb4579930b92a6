/** The dashboard's `--dashboard HOST:PORT`, split; a bad one is the VM's bad input (exit 2). */
import { MachineError } from '../machine-error.js';

export function splitAddress(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  const port = Number(address.slice(i + 1));
  if (i <= 0 || !Number.isInteger(port) || port < 0 || port > 65535) throw new MachineError('bad-config', `bad dashboard address '${address}': use HOST:PORT`);
  return { host: address.slice(0, i).replace(/^\[|\]$/g, ''), port };
}
