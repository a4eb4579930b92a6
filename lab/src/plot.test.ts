import { describe, expect, it } from 'vitest';
import { chartSvg, groupedBars, type ChartRow } from './plot.js';

/** The x-axis labels of a rendered chart: text, anchor x, rotation (degrees, 0 = level) and font size. */
function xLabels(svg: string, names: readonly string[]): { text: string; x: number; angle: number; px: number }[] {
  const out = [];
  for (const m of svg.matchAll(/<text [^>]*transform="translate\(([\d.-]+),[\d.-]+\)(?: rotate\(([\d.-]+)\))?[^"]*"[^>]*font-size="([\d.]+)px"[^>]*>([^<]+)<\/text>/g)) {
    if (names.includes(m[4]!)) out.push({ text: m[4]!, x: Number(m[1]), angle: Number(m[2] ?? 0), px: Number(m[3]) });
  }
  return out;
}

describe('grouped bars', () => {
  it('x labels do not overlap, even with long names on narrow categories', async () => {
    const workloads = ['pingpong', 'falseshare', 'hashjoin', 'matmul', 'jacobi', 'radix', 'lock', 'memscan'];
    const rows: ChartRow[] = workloads.flatMap((w) => ['ivy-central', 'ivy-dynamic'].map((v, i) => ({ workload: w, variant: v, setting: 's', ratio: 1 + i })));
    const svg = await chartSvg(groupedBars({ title: 't', rows, x: 'workload', group: 'variant', y: 'ratio', facet: 'setting', yScale: 'log', baseline: 1 }));
    const labels = xLabels(svg, workloads);
    expect(labels.map((l) => l.text)).toEqual(workloads);
    for (let i = 1; i < labels.length; i++) {
      const [a, b] = [labels[i - 1]!, labels[i]!];
      const gap = b.x - a.x;
      const rad = ((b.angle % 360) * Math.PI) / 180;
      // Level labels need room for half of each (a character is at most ~0.6 em wide);
      // slanted ones are parallel strips whose distance apart must exceed the text height.
      if (Math.sin(rad) === 0) expect(gap, `${a.text} / ${b.text}`).toBeGreaterThan(0.6 * a.px * (a.text.length + b.text.length) / 2);
      else expect(gap * Math.abs(Math.sin(rad)), `${a.text} / ${b.text}`).toBeGreaterThan(1.2 * b.px);
    }
  });
});
