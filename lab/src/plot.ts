/**
 * Charts for experiment reports: a vega-lite spec rendered headless to SVG
 * (vega) and PNG (resvg, system fonts). `groupedBars` and `lines` build the
 * two common specs; `writeChart` writes `<base>.svg` and `<base>.png`.
 *
 * @example
 *   await writeChart(groupedBars({ title: 'runtime', rows, x: 'workload', group: 'variant', y: 'ratio' }), 'out/runtime');
 */
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { TopLevelSpec } from 'vega-lite';

export type ChartRow = Record<string, string | number>;
/** A vega-lite top-level spec (kept loose: vega-lite checks it when compiling). */
export type ChartSpec = Record<string, unknown>;

export interface BarsOptions {
  title: string;
  rows: ChartRow[];
  /** Category field on the x axis. */
  x: string;
  /** Field whose values sit side by side within each x category (and colour the bars). */
  group: string;
  y: string;
  yTitle?: string;
  /** One small chart per value of this field, stacked vertically. */
  facet?: string;
  yScale?: 'linear' | 'log';
  /** Bars grow from this value instead of 0 (e.g. 1 for ratios on a log scale: up is worse, down is better). */
  baseline?: number;
}

/** Category labels under grouped bars, rotated (degrees) so neighbours cannot overlap. */
export const X_LABEL_ANGLE = -40;

export function groupedBars(o: BarsOptions): ChartSpec {
  const inner = {
    mark: { type: 'bar', tooltip: true },
    encoding: {
      // Slanted: a category is only (bars x 16 px) wide, so level names like 'falseshare' ran into each other.
      x: { field: o.x, type: 'nominal', title: o.x, sort: null, axis: { labelAngle: X_LABEL_ANGLE, labelAlign: 'right', labelBaseline: 'top' } },
      xOffset: { field: o.group, type: 'nominal', sort: null },
      y: { field: o.y, type: 'quantitative', title: o.yTitle ?? o.y, scale: { type: o.yScale ?? 'linear' } },
      ...(o.baseline !== undefined ? { y2: { datum: o.baseline } } : {}),
      color: { field: o.group, type: 'nominal', title: o.group, sort: null, legend: { labelLimit: 400 } },
    },
    width: { step: 16 },
    height: 160,
  };
  const base = { $schema: 'https://vega.github.io/schema/vega-lite/v5.json', title: o.title, data: { values: o.rows }, background: 'white' };
  if (!o.facet) return { ...base, ...inner };
  const { encoding, mark, width, height } = inner;
  return { ...base, facet: { row: { field: o.facet, type: 'nominal', title: null, sort: null } }, spec: { mark, encoding, width, height } };
}

export interface LinesOptions {
  title: string;
  rows: ChartRow[];
  x: string;
  y: string;
  series: string;
  xTitle?: string;
  yTitle?: string;
  xScale?: 'linear' | 'log';
  yScale?: 'linear' | 'log';
}

export function lines(o: LinesOptions): ChartSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json', title: o.title, data: { values: o.rows }, background: 'white',
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: o.x, type: 'quantitative', title: o.xTitle ?? o.x, scale: { type: o.xScale ?? 'linear' } },
      y: { field: o.y, type: 'quantitative', title: o.yTitle ?? o.y, scale: { type: o.yScale ?? 'linear' } },
      color: { field: o.series, type: 'nominal', title: o.series, sort: null, legend: { labelLimit: 400 } },
    },
    width: 480, height: 280,
  };
}

/** The chart as an SVG document. */
export async function chartSvg(spec: ChartSpec): Promise<string> {
  // Loaded on first use, like resvg below: vega is ~300 modules, and
  // `unum run` (which reaches this file through the DSM profile) starts
  // ~0.2 s sooner without them.
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = vl.compile(spec as unknown as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** An SVG rendered to PNG (2x for legibility). */
export function svgToPng(svg: string): Buffer {
  // Loaded on first use: the native addon is only needed for plots, and
  // every other `unum` command (run, agent, health) must start without it.
  const { Resvg } = createRequire(import.meta.url)('@resvg/resvg-js') as typeof import('@resvg/resvg-js');
  return new Resvg(svg, { fitTo: { mode: 'zoom', value: 2 }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }, background: 'white' })
    .render().asPng();
}

/** Writes `<base>.svg` and `<base>.png`; returns both paths. */
export async function writeChart(spec: ChartSpec, base: string): Promise<{ svg: string; png: string }> {
  const svg = await chartSvg(spec);
  await writeFile(`${base}.svg`, svg);
  await writeFile(`${base}.png`, svgToPng(svg));
  return { svg: `${base}.svg`, png: `${base}.png` };
}
