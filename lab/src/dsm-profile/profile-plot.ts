/**
 * The profile's chart: the top units (labelled by their owning symbols or
 * region) as horizontal bars of read and write faults, and below them the
 * top faulting functions, with the hart wait as a second bar colour.
 */
import type { ChartRow, ChartSpec } from '../plot.js';
import type { ProfileReport } from './profile-report.js';

const short = (s: string, n = 48): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function profileChart(r: ProfileReport, top: number, title: string): ChartSpec {
  const units: ChartRow[] = r.pages.slice(0, top).flatMap((p, i) => {
    // A page of hundreds of small symbols is better named by who faults on it.
    const owner = p.symbols && !p.symbols.includes('+') ? short(p.symbols, 36) : p.region;
    const by = p.functions ? ` ← ${p.functions.split(',')[0]!.replace(/ \d+$/, '')}` : '';
    const label = `${String(i + 1).padStart(2)} ${owner} ${p.gpa}${by}`;
    return [{ label, kind: 'read faults', n: p.readFaults }, { label, kind: 'write faults', n: p.writeFaults }];
  });
  const fns: ChartRow[] = r.functions.slice(0, top).map((f, i) => ({ label: `${String(i + 1).padStart(2)} ${short(f.symbol)}`, kind: 'faults', n: f.faults, waitMs: Math.round(f.waitMs) }));
  const bars = (rows: ChartRow[], what: string, x: string): ChartSpec => ({
    title: what, data: { values: rows }, mark: { type: 'bar', tooltip: true }, width: 420,
    height: { step: 14 },
    encoding: {
      y: { field: 'label', type: 'nominal', sort: null, title: null, axis: { labelLimit: 420 } },
      x: { field: 'n', type: 'quantitative', title: x, stack: 'zero' },
      color: { field: 'kind', type: 'nominal', title: null, sort: null },
    },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json', title, background: 'white',
    vconcat: [bars(units, `top ${top} units by DSM faults`, 'faults'), bars(fns, `top ${top} faulting functions`, 'faults')],
    resolve: { scale: { color: 'independent' } },
  };
}
