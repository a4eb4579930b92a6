/**
 * What the guest runs in one io-bench boot: eth0 up on the TAP, then each
 * test between `IOBENCH begin NAME` and `IOBENCH end NAME` lines with a
 * second of sleep on either side, so the host can read the DSM counters
 * (the dashboard's /metrics, refreshed every 0.5 s) while the guest is
 * quiet; plus an `idle` window that measures the DSM traffic of an idle
 * guest per second, which is subtracted from the others.
 */
export interface IoTest {
  name: string;
  /** The guest command, without cpu=. */
  cmd: string;
  /** What a table row shows: the RESULT field and its unit. */
  field: 'mbps' | 'iops' | 'rps';
  unit: string;
  /** How many I/Os the test issues (for per-I/O DSM figures). */
  ios: number;
  /** What one I/O is, for the table. */
  io: string;
}

export interface IoSizes { diskBytes: number; randOps: number; rrN: number; bulkBytes: number }

export const DEFAULT_SIZES: IoSizes = { diskBytes: 4 << 20, randOps: 512, rrN: 400, bulkBytes: 4 << 20 };

export function ioTests(s: IoSizes, disk: string, peer: string): IoTest[] {
  const blocks = s.diskBytes / 4096;
  // short: the kernel keeps 1024 bytes of command line (bs=4096 is diskio's default)
  const d = `diskio file=${disk} size=${s.diskBytes / 1024}K`;
  const n = `netio host=${peer}`;
  return [
    { name: 'seq-write', cmd: `${d} mode=seqwrite`, field: 'mbps', unit: 'MB/s', ios: blocks, io: '4 KiB write' },
    { name: 'seq-read', cmd: `${d} mode=seqread check=1`, field: 'mbps', unit: 'MB/s', ios: blocks, io: '4 KiB read' },
    { name: 'rand-write', cmd: `${d} mode=randwrite ops=${s.randOps}`, field: 'iops', unit: 'IOPS', ios: s.randOps, io: '4 KiB write' },
    { name: 'rand-read', cmd: `${d} mode=randread ops=${s.randOps} check=1`, field: 'iops', unit: 'IOPS', ios: s.randOps, io: '4 KiB read' },
    { name: 'tcp-rr', cmd: `${n} mode=rr n=${s.rrN} msg=64`, field: 'rps', unit: 'req/s', ios: s.rrN, io: '64 B request + response' },
    { name: 'tcp-send', cmd: `${n} mode=send bytes=${s.bulkBytes}`, field: 'mbps', unit: 'MB/s', ios: s.bulkBytes / 65536, io: '64 KiB sent' },
    { name: 'tcp-recv', cmd: `${n} mode=recv bytes=${s.bulkBytes}`, field: 'mbps', unit: 'MB/s', ios: s.bulkBytes / 65536, io: '64 KiB received' },
  ];
}

/** Seconds the idle window sleeps. */
export const IDLE_SECONDS = 3;

/**
 * The whole `unum.run=` script: no double quotes (it goes inside them) and
 * well under the kernel's 1024-byte command line, so each test is one call
 * of a shell function `t NAME CMD...` that prints the markers around it.
 */
export function guestScript(tests: readonly IoTest[], netUp: string, cpu: number): string {
  const parts = [netUp, `echo IOBENCH begin idle;sleep ${IDLE_SECONDS};echo IOBENCH end idle`,
    `t(){ n=$1;shift;echo IOBENCH begin $n;sleep 1;$@ cpu=${cpu};sleep 1;echo IOBENCH end $n;}`];
  for (const t of tests) parts.push(`t ${t.name} ${t.cmd}`);
  parts.push('sleep 2'); // the VM (and its /metrics) stays up until the last end marker is read
  const script = parts.join(';');
  if (script.length > 900) throw new RangeError(`the io script is ${script.length} bytes: too long for the kernel command line`);
  return script;
}

/** A marker line the guest printed, or undefined. */
export function markerOf(line: string): { edge: 'begin' | 'end'; name: string } | undefined {
  const m = /^IOBENCH (begin|end) (\S+)/.exec(line.trim());
  return m ? { edge: m[1] as 'begin' | 'end', name: m[2]! } : undefined;
}
