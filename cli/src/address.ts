/** HOST:PORT flags (--join, --listen, --cluster, health's address), checked once: one line and exit 2 when bad. */
import { UsageError } from './usage-error.js';

export function checkAddress(text: string, flag: string): string {
  const m = /^(?:[\w.-]+|\[[0-9a-f:]+\]):(\d{1,5})$/i.exec(text);
  if (!m) throw new UsageError(`bad ${flag} '${text}': use HOST:PORT`);
  if (Number(m[1]) > 65535) throw new UsageError(`bad ${flag} '${text}': port ${m[1]} is above 65535`);
  return text;
}
