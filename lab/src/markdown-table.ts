/**
 * A GitHub-flavoured markdown table; numeric-looking columns align right.
 *
 * @example
 *   markdownTable(['variant', 'faults'], [['ivy-central', '120']]);
 */
export function markdownTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  const numeric = head.map((_, i) => rows.length > 0 && rows.every((r) => /^[-+]?[\d.,]+[KMG×x%]?( ±.*)?$|^–$/.test(r[i] ?? '')));
  const line = (cells: readonly string[]): string => `| ${cells.map(esc).join(' | ')} |`;
  return [line(head), `|${numeric.map((n) => (n ? '---:' : '---')).join('|')}|`, ...rows.map(line)].join('\n');
}
