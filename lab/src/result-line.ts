/**
 * Parser for the one machine-readable line every guest workload prints
 * (guest/README.md); experiments read runs through it, tests re-export it
 * from test/support/result-line.ts:
 *
 *   RESULT name=memscan harts=2 size=1048576 iters=2 checksum=0x... ticks=123 instret=456 tbfreq=10000000 verify=ok
 *
 * `RESULT` then space-separated key=value tokens; keys are [a-z_]+, values
 * contain no spaces. name, harts, checksum, ticks, instret, tbfreq and verify
 * are always present; the rest are the workload's parameters and extra figures.
 *
 * @example
 *   const r = parseResultOutput(stdout);
 *   r.checksum === other.checksum; r.int('ticks'); // bigint
 */
export interface ResultLine {
  readonly name: string;
  /** the guest's own verification passed (verify=ok) */
  readonly verified: boolean;
  /** 0x-prefixed hex; independent of harts and timing */
  readonly checksum: string;
  readonly harts: number;
  readonly fields: Readonly<Record<string, string>>;
  /** an integer field (decimal or 0x hex); throws if missing or not an integer */
  int(key: string): bigint;
}

const REQUIRED = ['name', 'harts', 'checksum', 'ticks', 'instret', 'tbfreq', 'verify'] as const;
const TOKEN = /^([a-z_][a-z0-9_]*)=(\S+)$/;
const INTEGER = /^(0x[0-9a-f]+|[0-9]+)$/i;

export function parseResultLine(line: string): ResultLine {
  const tokens = line.trim().split(/\s+/);
  if (tokens[0] !== 'RESULT') throw new SyntaxError(`not a RESULT line: ${JSON.stringify(line)}`);
  const fields: Record<string, string> = {};
  for (const token of tokens.slice(1)) {
    const m = TOKEN.exec(token);
    if (!m) throw new SyntaxError(`bad RESULT token ${JSON.stringify(token)}`);
    if (m[1] in fields) throw new SyntaxError(`RESULT key ${m[1]} repeated`);
    fields[m[1]] = m[2];
  }
  for (const key of REQUIRED) if (!(key in fields)) throw new SyntaxError(`RESULT line lacks ${key}=`);
  if (fields.verify !== 'ok' && fields.verify !== 'fail') throw new SyntaxError(`verify=${fields.verify}: expected ok or fail`);
  const int = (key: string): bigint => {
    const v = fields[key];
    if (v === undefined) throw new RangeError(`RESULT line has no ${key}=`);
    if (!INTEGER.test(v)) throw new RangeError(`RESULT ${key}=${v} is not an integer`);
    return BigInt(v);
  };
  if (!/^0x[0-9a-f]+$/.test(fields.checksum)) throw new SyntaxError(`checksum=${fields.checksum}: expected 0x hex`);
  for (const key of ['harts', 'ticks', 'instret', 'tbfreq']) int(key);
  return {
    name: fields.name,
    verified: fields.verify === 'ok',
    checksum: fields.checksum,
    harts: Number(int('harts')),
    fields,
    int,
  };
}

/** The single RESULT line in a guest's output; throws if there is none or more than one. */
export function parseResultOutput(stdout: string): ResultLine {
  const lines = stdout.split(/\r?\n/).filter((l) => l.startsWith('RESULT '));
  if (lines.length !== 1) throw new SyntaxError(`expected exactly one RESULT line, found ${lines.length}`);
  return parseResultLine(lines[0]);
}
