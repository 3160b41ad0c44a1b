/**
 * Horizontal bar charts as static, self-contained SVG. The spec is written in Vega-Lite, compiled to Vega
 * and rendered server-side with the headless `none` renderer (no canvas, no DOM, no network: the loader
 * refuses every request). Vega escapes its own text and attribute values; labels are additionally made
 * visible (`visibleText`) and shortened here. Report code only sees `barChartSvg`, so the library can be
 * swapped without touching it. Vega is imported lazily, on the first chart.
 */
import type { Loader, ViewOptions } from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { visibleText } from './escape.js';

export interface BarDatum {
  label: string;
  value: number;
}

export interface BarChartOptions {
  title: string;
  /** Bars top to bottom, in the order given (sort before calling). */
  data: readonly BarDatum[];
  /** Axis title under the bars. */
  valueTitle?: string;
  /** d3-format specifier for axis and value labels; `,d` (integers with separators) by default. */
  format?: string;
  /** Bar colour. */
  color?: string;
  /** Plot width in pixels (labels come on top of that); 520 by default. */
  width?: number;
  /** Longest label in characters before it is cut with an ellipsis; 48 by default. */
  maxLabelChars?: number;
  /** Bars drawn at most (the first ones); 30 by default. The caller says in the page how many were left out. */
  maxBars?: number;
}

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

type VegaModule = typeof import('vega');
type VegaLiteModule = typeof import('vega-lite');
let modules: Promise<[VegaModule, VegaLiteModule]> | undefined;

function loadModules(): Promise<[VegaModule, VegaLiteModule]> {
  modules ??= Promise.all([import('vega'), import('vega-lite')]);
  return modules;
}

type Logger = NonNullable<NonNullable<Parameters<VegaLiteModule['compile']>[1]>['logger']>;
/** Vega-Lite warns on the console by default; a report renderer stays quiet. */
const quietLogger = {
  _level: 0,
  level(this: { _level: number }, level?: number) {
    if (level === undefined) return this._level;
    this._level = level;
    return this;
  },
  error() {
    return this;
  },
  warn() {
    return this;
  },
  info() {
    return this;
  },
  debug() {
    return this;
  },
} as unknown as Logger;

const refuse = (): Promise<never> => Promise.reject(new Error('report charts never load external resources'));
/** A loader that refuses everything: charts only use inline data. */
const noLoader = { load: refuse, sanitize: refuse, http: refuse, file: refuse } as unknown as Loader;

/**
 * Labels for the band scale must be unique (two bars with one label share a band and overlap): repeated (or
 * equal once shortened) labels get ` (2)`, … — skipping any suffixed label already taken, so a label that is
 * itself `a (2)` cannot collide with the second `a`.
 */
function uniqueLabels(data: readonly BarDatum[], maxChars: number): { label: string; value: number }[] {
  const bases = data.map((d) => visibleText(d.label, maxChars) || '(empty)');
  const used = new Set<string>();
  const next = new Map<string, number>();
  return data.map((d, i) => {
    const base = bases[i];
    let label = base;
    if (used.has(label)) {
      let n = next.get(base) ?? 2;
      while (used.has(`${base} (${n})`)) n++;
      label = `${base} (${n})`;
      next.set(base, n + 1);
    }
    used.add(label);
    const value = typeof d.value === 'number' && Number.isFinite(d.value) ? d.value : 0;
    return { label, value };
  });
}

/** Renders a horizontal bar chart to an SVG string (no XML declaration, ready to inline into HTML). */
export async function barChartSvg(options: BarChartOptions): Promise<string> {
  const [vega, vegaLite] = await loadModules();
  const maxBars = options.maxBars ?? 30;
  const values = uniqueLabels(options.data.slice(0, maxBars), options.maxLabelChars ?? 48);
  const format = options.format ?? ',d';
  const max = values.reduce((m, d) => Math.max(m, d.value), 0);
  const color = options.color ?? '#3b6ea8';

  const spec: TopLevelSpec = {
    width: options.width ?? 520,
    height: { step: values.length > 0 ? 22 : 30 },
    background: '#ffffff',
    padding: { left: 4, right: 12, top: 4, bottom: 4 },
    title: { text: visibleText(options.title, 120), anchor: 'start', fontSize: 14, fontWeight: 600, offset: 10 },
    data: { values: values.length > 0 ? values : [{ label: '(none)', value: 0 }] },
    encoding: {
      y: {
        field: 'label',
        type: 'nominal',
        sort: null,
        scale: { paddingInner: 0.28, paddingOuter: 0.14 },
        axis: { title: null, labelLimit: 320, labelFontSize: 11, ticks: false, domain: false, labelPadding: 6 },
      },
      x: {
        field: 'value',
        type: 'quantitative',
        // One bar per label: no stacking, so the bars are plain rects (no clipped group per bar).
        stack: null,
        // Room on the right for the value printed after the longest bar.
        scale: { domainMin: 0, domainMax: max > 0 ? max * 1.18 : 1, nice: true },
        axis: {
          title: options.valueTitle ? visibleText(options.valueTitle, 80) : null,
          format,
          grid: true,
          gridColor: '#e8ebf0',
          domain: false,
          tickCount: 5,
          // Integer counts get integer ticks (no `0, 1, 1, 2` from formatting 0.5 steps).
          ...(format.endsWith('d') ? { tickMinStep: 1 } : {}),
          labelFontSize: 10,
          labelColor: '#5b6472',
          titleFontSize: 11,
          titleFontWeight: 500,
          titleColor: '#5b6472',
        },
      },
    },
    layer: [
      { mark: { type: 'bar', color, cornerRadiusTopRight: 2, cornerRadiusBottomRight: 2 } },
      {
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 4, fontSize: 10.5, color: '#30363f' },
        encoding: { text: { field: 'value', type: 'quantitative', format } },
      },
    ],
    config: {
      font: FONT,
      view: { stroke: null },
      axis: { labelColor: '#30363f' },
      title: { color: '#1f2630' },
    },
  };

  const compiled = vegaLite.compile(spec, { logger: quietLogger }).spec;
  const viewOptions: ViewOptions = { renderer: 'none', logLevel: 0, loader: noLoader };
  const view = new vega.View(vega.parse(compiled), viewOptions);
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
