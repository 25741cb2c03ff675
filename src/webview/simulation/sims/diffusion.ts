// Diffusion forward process: a seeded 2-D cloud noised in closed form at step t, with ᾱ_t and SNR curves.
import type uPlot from 'uplot';
import { noisedCloud, signalToNoise, simulateDiffusion, type DiffusionRun } from '../../../core/simulations/diffusionForward';
import { canvasView, drawHorizontalMarker, drawVerticalMarker, equalAspectTransform, lineChart, type PlotCoordinates } from '../charts';
import { formatNumber, renderControls, renderFacts, renderMessages } from '../dom';
import { withAlpha } from '../theme';
import { initialValue, simulationLayout, type MountSimulation } from '../types';

export const mountDiffusionForward: MountSimulation = (root, context) => {
  const layout = simulationLayout(root, 'x_t = √ᾱ_t·x_0 + √(1 − ᾱ_t)·ε with one fixed ε per point, so moving t moves each point along its own path. Data standardized to unit variance.');
  const controls = renderControls(
    layout.controls,
    context.idPrefix,
    [
      {
        kind: 'select',
        key: 'schedule',
        label: 'Schedule',
        options: [
          { value: 'linear', label: 'linear β (Ho et al. 2020)' },
          { value: 'cosine', label: 'cosine (Nichol & Dhariwal 2021)' },
        ],
        value: initialValue(context.saved, 'schedule', 'linear'),
      },
      { kind: 'range', key: 't', label: 'Time t as a fraction of T', min: 0, max: 1000, integer: true, step: 1, value: initialValue(context.saved, 't', 100), format: (v) => `${(v / 10).toFixed(1)}%` },
      { kind: 'range', key: 'steps', label: 'Steps T', min: 10, max: 4000, log: true, integer: true, value: initialValue(context.saved, 'steps', 1000) },
      { kind: 'range', key: 'betaStart', label: 'β₁ (linear)', min: 1e-5, max: 1e-3, log: true, value: initialValue(context.saved, 'betaStart', 1e-4) },
      { kind: 'range', key: 'betaEnd', label: 'β_T (linear)', min: 1e-3, max: 0.05, log: true, value: initialValue(context.saved, 'betaEnd', 0.02) },
      { kind: 'range', key: 'cosineOffset', label: 's (cosine)', min: 0, max: 0.02, step: 0.001, value: initialValue(context.saved, 'cosineOffset', 0.008) },
      {
        kind: 'select',
        key: 'dataset',
        label: 'Data',
        options: [
          { value: 'moons', label: 'two moons' },
          { value: 'rings', label: 'two rings' },
        ],
        value: initialValue(context.saved, 'dataset', 'moons'),
      },
    ],
    (key) => update(key === 't'),
  );
  const colors = context.theme.series;
  let run: DiffusionRun = simulateDiffusion({});
  let t = 0;
  const scatter = canvasView(layout.plots, 'Point cloud at step t', (ctx, width, height) => {
    const view = equalAspectTransform(width, height, [-4, 4], [-4, 4]);
    ctx.fillStyle = withAlpha(context.theme.muted, 0.25);
    for (let i = 0; i < run.clean.x.length; i++) ctx.fillRect(view.px(run.clean.x[i]!) - 1, view.py(run.clean.y[i]!) - 1, 2, 2);
    const cloud = noisedCloud(run, t);
    ctx.fillStyle = colors[0];
    for (let i = 0; i < cloud.x.length; i++) {
      ctx.beginPath();
      ctx.arc(view.px(cloud.x[i]!), view.py(cloud.y[i]!), 2, 0, 2 * Math.PI);
      ctx.fill();
    }
    ctx.fillStyle = context.theme.foreground;
    ctx.font = context.theme.font;
    ctx.fillText(`t = ${t}, ᾱ_t = ${formatNumber(run.alphaBar[t]!)}`, 8, 16);
  });
  const marker = (plot: uPlot, ctx: CanvasRenderingContext2D, at: PlotCoordinates): void => drawVerticalMarker(plot, ctx, at.x(Math.max(t, 1)), context.theme.foreground, `t = ${t}`, [1, 0]);
  const alphaChart = lineChart(
    layout.plots,
    {
      title: 'ᾱ_t (signal variance) and 1 − ᾱ_t (noise variance)',
      xLabel: 't',
      yLabel: 'variance',
      yRange: [0, 1],
      series: [
        { label: 'ᾱ_t', color: colors[0] },
        { label: '1 − ᾱ_t', color: colors[1] },
      ],
      drawOverlay: marker,
    },
    context.theme,
  );
  const snrChart = lineChart(
    layout.plots,
    {
      title: 'SNR(t) = ᾱ_t/(1 − ᾱ_t) (log scale)',
      xLabel: 't',
      yLabel: 'SNR',
      logY: true,
      series: [{ label: 'SNR', color: colors[2] }],
      drawOverlay: (plot, ctx, at) => {
        marker(plot, ctx, at);
        drawHorizontalMarker(plot, ctx, at.y(1), context.theme.muted, 'SNR = 1');
      },
    },
    context.theme,
  );

  function update(onlyTime: boolean): void {
    const v = controls.values;
    context.save(v);
    if (!onlyTime) {
      run = simulateDiffusion({ schedule: v.schedule, steps: v.steps, betaStart: v.betaStart, betaEnd: v.betaEnd, cosineOffset: v.cosineOffset, dataset: v.dataset, seed: context.seed });
      const ts = Array.from({ length: run.alphaBar.length - 1 }, (_, i) => i + 1);
      const alphaBars = Array.from(run.alphaBar.subarray(1));
      alphaChart.setData([ts, alphaBars, alphaBars.map((a) => 1 - a)]);
      snrChart.setData([ts, alphaBars.map((a) => { const snr = signalToNoise(a); return snr !== undefined && snr > 0 ? snr : null; })]);
    }
    // The slider is in thousandths of T, so it covers the whole process whatever T is.
    t = Math.round((Number(v.t) / 1000) * run.params.steps);
    scatter.redraw();
    alphaChart.redraw();
    snrChart.redraw();
    const alphaBar = run.alphaBar[t]!;
    const snr = signalToNoise(alphaBar);
    renderFacts(layout.facts, [
      ['t / T', `${t} / ${run.params.steps}`],
      ['ᾱ_t, √ᾱ_t, √(1 − ᾱ_t)', `${formatNumber(alphaBar)}, ${formatNumber(Math.sqrt(alphaBar))}, ${formatNumber(Math.sqrt(1 - alphaBar))}`],
      ['SNR(t)', snr === undefined ? '∞ (no noise yet)' : formatNumber(snr)],
      ['SNR crosses 1 at t', run.snrCrossing === undefined ? 'never' : String(run.snrCrossing)],
    ]);
    scatter.describe(`${run.params.points} points at t = ${t}, signal scale ${formatNumber(Math.sqrt(alphaBar))}, noise scale ${formatNumber(Math.sqrt(1 - alphaBar))}`);
    renderMessages(layout.messages, run.messages);
  }

  update(false);
  return {
    dispose: () => {
      scatter.destroy();
      alphaChart.destroy();
      snrChart.destroy();
    },
  };
};
