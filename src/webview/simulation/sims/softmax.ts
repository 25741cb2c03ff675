// Softmax saturation: the sorted attention weights of one random query at dimension d with and without
// 1/√d, and entropy / Jacobian norm against d for the three scalings.
import type uPlot from 'uplot';
import { SCALINGS, SCALING_LABELS, sampleSoftmax, sanitizeSoftmax, scaleFor, softmax, sweepSoftmaxSteps, type Scaling, type SoftmaxSweep } from '../../../core/simulations/softmaxSaturation';
import { drawHorizontalMarker, drawVerticalMarker, lineChart, type PlotCoordinates } from '../charts';
import { formatNumber, renderControls, renderFacts, renderMessages } from '../dom';
import { runInFrames, type FramedRun } from '../frames';
import { initialValue, simulationLayout, type MountSimulation } from '../types';

/** Bars shown in the sorted-weights plot. */
const TOP_WEIGHTS = 24;

export const mountSoftmaxSaturation: MountSimulation = (root, context) => {
  const layout = simulationLayout(root, 'q, k ~ N(0, I_d). Logits q·k_j/s over N keys; softmax weights, their entropy and the Frobenius norm of the softmax Jacobian diag(α) − ααᵀ.');
  const controls = renderControls(
    layout.controls,
    context.idPrefix,
    [
      { kind: 'range', key: 'd', label: 'Dimension d', min: 1, max: 1024, log: true, integer: true, value: initialValue(context.saved, 'd', 64) },
      { kind: 'range', key: 'keys', label: 'Keys N', min: 2, max: 1024, log: true, integer: true, value: initialValue(context.saved, 'keys', 128) },
    ],
    (key) => update(key === 'keys'),
  );
  const colors = context.theme.series;
  const weightsChart = lineChart(
    layout.plots,
    {
      title: `Largest ${TOP_WEIGHTS} attention weights of one query, sorted`,
      xLabel: 'rank',
      integerX: true,
      yLabel: 'weight',
      yRange: [0, 1],
      series: [
        { label: 'no scaling', color: colors[3], bars: true },
        { label: '1/√d', color: colors[0], bars: true },
      ],
    },
    context.theme,
  );
  let sweep: SoftmaxSweep | undefined;
  let currentD = 64;
  const overlay = (plot: uPlot, ctx: CanvasRenderingContext2D, at: PlotCoordinates, withMaxEntropy: boolean): void => {
    drawVerticalMarker(plot, ctx, at.x(currentD), context.theme.foreground, `d = ${currentD}`, [1, 0]);
    if (withMaxEntropy && sweep) drawHorizontalMarker(plot, ctx, at.y(sweep.maxEntropy), context.theme.muted, 'ln N (uniform)');
  };
  const scalingColors: Readonly<Record<Scaling, string>> = { none: colors[3], sqrt: colors[0], linear: colors[2] };
  const sweepSeries = SCALINGS.map((s) => ({ label: SCALING_LABELS[s], color: scalingColors[s] }));
  const entropyChart = lineChart(
    layout.plots,
    { title: 'Attention entropy against d', xLabel: 'd', yLabel: 'entropy (nats)', logX: true, series: sweepSeries, drawOverlay: (p, c, at) => overlay(p, c, at, true) },
    context.theme,
  );
  const jacobianChart = lineChart(
    layout.plots,
    { title: 'Softmax Jacobian norm ‖diag(α) − ααᵀ‖_F against d', xLabel: 'd', yLabel: '‖J‖_F', logX: true, series: sweepSeries, drawOverlay: (p, c, at) => overlay(p, c, at, false) },
    context.theme,
  );
  let sweeping: FramedRun<SoftmaxSweep> | undefined;

  function runSweep(keys: number): void {
    sweeping?.cancel();
    layout.status.textContent = 'Sweeping d…';
    const run = runInFrames(sweepSoftmaxSteps({ keys, seed: context.seed }), (f) => (layout.status.textContent = `Sweeping d… ${Math.round(f * 100)}%`));
    sweeping = run;
    void run.done.then((result) => {
      if (!result || sweeping !== run) return;
      sweep = result;
      layout.status.textContent = '';
      entropyChart.setData([result.dims, ...SCALINGS.map((s) => result.stats[s].map((x) => x.entropy))]);
      jacobianChart.setData([result.dims, ...SCALINGS.map((s) => result.stats[s].map((x) => x.jacobianNorm))]);
    });
  }

  function update(keysChanged: boolean): void {
    const v = controls.values;
    context.save(v);
    const { params, messages } = sanitizeSoftmax({ d: v.d, keys: v.keys, seed: context.seed });
    currentD = params.d;
    const sample = sampleSoftmax(params);
    const sortedWeights = (scaling: 'none' | 'sqrt'): number[] => [...softmax(sample.rawLogits.map((x) => x / scaleFor(scaling, params.d)))].sort((a, b) => b - a).slice(0, TOP_WEIGHTS);
    const ranks = Array.from({ length: Math.min(TOP_WEIGHTS, params.keys) }, (_, i) => i + 1);
    weightsChart.setData([ranks, sortedWeights('none'), sortedWeights('sqrt')]);
    entropyChart.redraw();
    jacobianChart.redraw();
    renderFacts(layout.facts, [
      ['Logit std without scaling (theory √d)', `${formatNumber(Math.sqrt(params.d))}`],
      ...SCALINGS.map((s): [string, string] => [
        `${SCALING_LABELS[s]}: entropy / max weight / ‖J‖_F`,
        `${formatNumber(sample.stats[s].entropy)} / ${formatNumber(sample.stats[s].maxWeight)} / ${formatNumber(sample.stats[s].jacobianNorm)}`,
      ]),
      ['Uniform attention entropy ln N', formatNumber(Math.log(params.keys))],
    ]);
    renderMessages(layout.messages, messages);
    if (keysChanged || !sweep) runSweep(params.keys);
  }

  update(true);
  return {
    dispose: () => {
      sweeping?.cancel();
      weightsChart.destroy();
      entropyChart.destroy();
      jacobianChart.destroy();
    },
  };
};
