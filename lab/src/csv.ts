/**
 * CSV (RFC 4180) from rows of plain values: one header line, then one line
 * per row; fields with commas, quotes or newlines are quoted.
 *
 * @example
 *   toCsv(['a', 'b'], [{ a: 1, b: 'x,y' }]) === 'a,b\n1,"x,y"\n'
 */
export type CsvValue = string | number | boolean | null | undefined;

const field = (v: CsvValue): string => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function toCsv(columns: readonly string[], rows: readonly Record<string, CsvValue>[]): string {
  return [columns.map(field).join(','), ...rows.map((r) => columns.map((c) => field(r[c])).join(','))].join('\n') + '\n';
}
