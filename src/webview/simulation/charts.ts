// Plot helpers: uPlot line charts and plain canvases, both resized with the panel and themed from VS Code.
import uPlot from 'uplot';
import { element } from './dom';
import type { Theme } from './theme';

export interface SeriesSpec {
  readonly label: string;
  readonly color: string;
  readonly dash?: readonly number[];
  readonly width?: number;
  readonly points?: boolean;
  readonly bars?: boolean;
}

export interface LineChartSpec {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly logX?: boolean;
  readonly logY?: boolean;
  /** Ticks on whole numbers only (layer indices, steps). */
  readonly integerX?: boolean;
  readonly series: readonly SeriesSpec[];
  readonly height?: number;
  /** Fixed y range (in data units); otherwise the data decide. */
  readonly yRange?: readonly [number, number];
  /** Extra drawing after the series (bounds, markers); `at` maps data coordinates to canvas pixels. */
  readonly drawOverlay?: (plot: uPlot, ctx: CanvasRenderingContext2D, at: PlotCoordinates) => void;
}

/** Data → canvas-pixel mapping of one chart, hiding whether an axis is logarithmic. */
export interface PlotCoordinates {
  x(value: number): number;
  y(value: number): number;
}

/** Plot data: x values, then one array per series; null leaves a gap. */
export type PlotData = readonly [readonly number[], ...(readonly (number | null)[])[]];

export interface LineChart {
  readonly root: HTMLElement;
  setData(data: PlotData): void;
  redraw(): void;
  destroy(): void;
}

/** The figure wrapper: a labelled region with a caption, the plot's accessible name. */
function figure(parent: HTMLElement, title: string): { root: HTMLElement; body: HTMLElement } {
  const root = element('figure', { class: 'plot', role: 'group', 'aria-label': title });
  const body = element('div', { class: 'plot-body' });
  root.append(element('figcaption', {}, title), body);
  parent.append(root);
  return { root, body };
}

const tickLabel = (v: number): string => {
  if (v === 0) return '0';
  const magnitude = Math.abs(v);
  if (magnitude >= 1e4 || magnitude < 1e-2) return `1e${Math.round(Math.log10(magnitude))}`;
  return String(Number(v.toPrecision(3)));
};

/** log10 of positive finite values, null otherwise (a log axis cannot show them). */
const toLog = (v: number | null): number | null => (v !== null && v > 0 && Number.isFinite(v) ? Math.log10(v) : null);

/**
 * Log axes are drawn as linear axes over log10 of the data with ticks on whole decades: uPlot's own log
 * scale cannot split ranges below about 1e-16, which the variance and RNN plots reach.
 */
export function lineChart(parent: HTMLElement, spec: LineChartSpec, theme: Theme): LineChart {
  const { root, body } = figure(parent, spec.title);
  const decadeIncrements = [1, 2, 3, 5, 10, 20, 50, 100];
  const axis = (label: string, log: boolean | undefined, integer = false): uPlot.Axis => ({
    label,
    stroke: theme.foreground,
    grid: { stroke: theme.grid, width: 1 },
    ticks: { stroke: theme.grid, width: 1 },
    font: theme.font,
    labelFont: theme.font,
    ...(log || integer ? { incrs: decadeIncrements } : {}),
    values: (_plot: uPlot, splits: number[]) => splits.map((v) => (v === null ? '' : log ? tickLabel(10 ** v) : tickLabel(v))),
  });
  const yRange = spec.yRange ? (spec.logY ? spec.yRange.map(Math.log10) : spec.yRange) : undefined;
  const options: uPlot.Options = {
    width: Math.max(200, body.clientWidth || 400),
    height: spec.height ?? 240,
    // Range functions with a fallback: an empty or all-null chart (a sweep still running) has no data range.
    scales: {
      x: { time: false, range: (_p, min, max) => (min === null || max === null ? [0, 1] : min === max ? [min - 1, max + 1] : [min, max]) },
      y: { range: yRange ? [yRange[0], yRange[1]] : (_p, min, max) => (min === null || max === null ? [0, 1] : uPlot.rangeNum(min, max, 0.1, true)) },
    },
    axes: [axis(spec.xLabel, spec.logX, spec.integerX), axis(spec.yLabel, spec.logY)],
    legend: { show: true, live: false },
    cursor: { show: false },
    series: [
      { label: spec.xLabel },
      ...spec.series.map(
        (s): uPlot.Series => ({
          label: s.label,
          stroke: s.color,
          width: s.width ?? 2,
          dash: s.dash ? [...s.dash] : undefined,
          points: { show: s.points ?? false, size: 5, fill: s.color },
          spanGaps: false,
          ...(s.bars ? { paths: uPlot.paths.bars!({ size: [0.8, 40] }), fill: s.color } : {}),
        }),
      ),
    ],
    hooks: spec.drawOverlay
      ? {
          draw: [
            (plot) =>
              spec.drawOverlay!(plot, plot.ctx, {
                x: (v) => plot.valToPos(spec.logX ? Math.log10(v) : v, 'x', true),
                y: (v) => plot.valToPos(spec.logY ? Math.log10(v) : v, 'y', true),
              }),
          ],
        }
      : {},
  };
  const emptyData: uPlot.AlignedData = [[], ...spec.series.map(() => [])];
  const plot = new uPlot(options, emptyData, body);
  const observer = new ResizeObserver(() => {
    const width = Math.max(200, Math.floor(body.clientWidth));
    if (width !== plot.width) plot.setSize({ width, height: spec.height ?? 240 });
  });
  observer.observe(body);
  const transform = (data: PlotData): uPlot.AlignedData => {
    const [xs, ...ys] = data;
    const x = spec.logX ? xs.map((v) => toLog(v) ?? Number.NaN) : [...xs];
    return [x, ...ys.map((series) => (spec.logY ? series.map(toLog) : series.map((v) => (v !== null && Number.isFinite(v) ? v : null))))] as uPlot.AlignedData;
  };
  return {
    root,
    setData: (data) => plot.setData(transform(data)),
    redraw: () => plot.redraw(false),
    destroy: () => {
      observer.disconnect();
      plot.destroy();
    },
  };
}

/** Vertical line at canvas x `px`, labelled; used for stability bounds and the current value of a slider. */
export function drawVerticalMarker(plot: uPlot, ctx: CanvasRenderingContext2D, px: number, color: string, label: string, dash: number[] = [6, 4], labelRow = 0): void {
  const { top, height, left, width } = plot.bbox;
  if (!Number.isFinite(px) || px < left || px > left + width) return;
  ctx.save();
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.setLineDash(dash.map((d) => d * devicePixelRatio));
  ctx.lineWidth = devicePixelRatio;
  ctx.beginPath();
  ctx.moveTo(px, top);
  ctx.lineTo(px, top + height);
  ctx.stroke();
  ctx.font = `${11 * devicePixelRatio}px sans-serif`;
  ctx.fillText(label, px + 3 * devicePixelRatio, top + (12 + 14 * labelRow) * devicePixelRatio);
  ctx.restore();
}

/** Horizontal line at canvas y `py`. */
export function drawHorizontalMarker(plot: uPlot, ctx: CanvasRenderingContext2D, py: number, color: string, label: string): void {
  const { top, height, left, width } = plot.bbox;
  if (!Number.isFinite(py) || py < top || py > top + height) return;
  ctx.save();
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.setLineDash([2 * devicePixelRatio, 3 * devicePixelRatio]);
  ctx.lineWidth = devicePixelRatio;
  ctx.beginPath();
  ctx.moveTo(left, py);
  ctx.lineTo(left + width, py);
  ctx.stroke();
  ctx.font = `${11 * devicePixelRatio}px sans-serif`;
  ctx.fillText(label, left + width - ctx.measureText(label).width - 4 * devicePixelRatio, py - 4 * devicePixelRatio);
  ctx.restore();
}

export interface CanvasView {
  readonly root: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  redraw(): void;
  /** The canvas' accessible description (a text summary of what it shows). */
  describe(text: string): void;
  destroy(): void;
}

/**
 * A canvas sized to its container (square up to maxHeight), drawn in CSS pixels at the device pixel ratio.
 * `draw` gets the context and the CSS size.
 */
export function canvasView(parent: HTMLElement, title: string, draw: (ctx: CanvasRenderingContext2D, width: number, height: number) => void, maxHeight = 360): CanvasView {
  const { root, body } = figure(parent, title);
  const canvas = element('canvas', { role: 'img', 'aria-label': title });
  body.append(canvas);
  let size = { width: 0, height: 0 };
  const redraw = (): void => {
    const width = Math.max(160, Math.floor(body.clientWidth));
    const height = Math.min(maxHeight, width);
    const ratio = window.devicePixelRatio || 1;
    if (width !== size.width || height !== size.height) {
      size = { width, height };
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      canvas.style.width = `${width}px`;
      canvas.style.height = `${height}px`;
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    draw(ctx, width, height);
  };
  const observer = new ResizeObserver(() => redraw());
  observer.observe(body);
  return {
    root,
    canvas,
    redraw,
    describe: (text) => canvas.setAttribute('aria-label', `${title}: ${text}`),
    destroy: () => observer.disconnect(),
  };
}

/** Maps data coordinates to canvas pixels with equal units on both axes, centred, with a margin. */
export function equalAspectTransform(width: number, height: number, xRange: readonly [number, number], yRange: readonly [number, number], margin = 12): { px: (x: number) => number; py: (y: number) => number; scale: number } {
  const scale = Math.min((width - 2 * margin) / (xRange[1] - xRange[0]), (height - 2 * margin) / (yRange[1] - yRange[0]));
  const cx = (xRange[0] + xRange[1]) / 2;
  const cy = (yRange[0] + yRange[1]) / 2;
  return { px: (x) => width / 2 + (x - cx) * scale, py: (y) => height / 2 - (y - cy) * scale, scale };
}
