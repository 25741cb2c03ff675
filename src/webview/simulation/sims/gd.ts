// GD / heavy-ball momentum / Adam on ½(λ_x x² + λ_y y²): contours with trajectories, loss per step (log),
// and the per-step contraction against the learning rate with the stability bounds drawn.
import type uPlot from 'uplot';
import { last } from '../../../core/invariant';
import { gradientDescentRate } from '../../../core/formulas/optimization';
import { heavyBallRate, OPTIMIZER_METHODS, quadraticInputFromOptimizer, quadraticLoss, curvatures, simulateQuadratic, spectrumOf, type QuadraticRun } from '../../../core/simulations/optimizers';
import { drawHorizontalMarker, drawVerticalMarker, equalAspectTransform, canvasView, lineChart, type PlotCoordinates, type PlotData } from '../charts';
import { element, formatNumber, renderControls, renderFacts, renderMessages } from '../dom';
import { seriesColor, withAlpha } from '../theme';
import { initialValue, simulationLayout, type MountSimulation } from '../types';

const METHOD_LABELS = { gd: 'GD', momentum: 'Momentum (heavy ball)', adam: 'Adam' } as const;

export const mountGradientDescent: MountSimulation = (root, context) => {
  const layout = simulationLayout(root, 'Minimise f = ½(λ_x x² + λ_y y²) with λ_y = λ_max = 1 and λ_x = λ_max/κ. The updates are PyTorch’s SGD, SGD with momentum, and Adam, all with the same lr (Adam moves about lr per coordinate per step, whatever the curvature).');
  const hostOptimizer = context.init?.optimizer;
  const hostInput = typeof hostOptimizer === 'object' && hostOptimizer !== null ? quadraticInputFromOptimizer(hostOptimizer) : {};
  const pick = (key: string, hostValue: number | undefined, fallback: number): number => initialValue(context.saved, key, hostValue ?? fallback);
  const controls = renderControls(
    layout.controls,
    context.idPrefix,
    [
      { kind: 'range', key: 'lr', label: 'Learning rate η (lr)', min: 1e-3, max: 10, log: true, value: pick('lr', hostInput.lr, 0.3) },
      { kind: 'range', key: 'kappa', label: 'Condition number κ', min: 1, max: 1000, log: true, value: pick('kappa', undefined, 10) },
      { kind: 'range', key: 'momentum', label: 'Momentum μ (PyTorch; notes β = 1 − μ)', min: 0, max: 0.99, step: 0.01, value: pick('momentum', hostInput.momentum, 0.5) },
      { kind: 'range', key: 'beta1', label: 'Adam β1', min: 0, max: 0.999, step: 0.001, value: pick('beta1', hostInput.beta1, 0.9) },
      { kind: 'range', key: 'beta2', label: 'Adam β2', min: 0.9, max: 0.9999, step: 0.0001, value: pick('beta2', hostInput.beta2, 0.999) },
      { kind: 'range', key: 'eps', label: 'Adam ε', min: 1e-10, max: 1e-1, log: true, value: pick('eps', hostInput.eps, 1e-8) },
      { kind: 'range', key: 'steps', label: 'Steps', min: 5, max: 500, integer: true, step: 1, value: pick('steps', undefined, 100) },
    ],
    () => update(),
  );
  if (context.init?.source) layout.controls.append(element('p', { class: 'source' }, `Started from ${context.init.source}.`));

  const color = (index: number): string => seriesColor(context.theme, index);
  let run: QuadraticRun = simulateQuadratic({});

  const contour = canvasView(layout.plots, 'Contours of f with the three trajectories', (ctx, width, height) => drawContours(ctx, width, height));
  const lossChart = lineChart(
    layout.plots,
    {
      title: 'Loss f(w_t) per step (log scale)',
      xLabel: 'step t',
      yLabel: 'f(w_t)',
      logY: true,
      series: OPTIMIZER_METHODS.map((m, i) => ({ label: METHOD_LABELS[m], color: color(i) })),
    },
    context.theme,
  );
  const rateChart = lineChart(
    layout.plots,
    {
      title: 'Per-step contraction against lr (below 1 converges)',
      xLabel: 'lr',
      yLabel: 'rate',
      yRange: [0, 1.5],
      series: [
        { label: 'GD max|1 − ηλ|', color: color(0) },
        { label: 'Momentum spectral radius', color: color(1) },
      ],
      drawOverlay: (plot, ctx, at) => drawBounds(plot, ctx, at),
    },
    context.theme,
  );

  function drawBounds(plot: uPlot, ctx: CanvasRenderingContext2D, at: PlotCoordinates): void {
    const t = run.theory;
    drawHorizontalMarker(plot, ctx, at.y(1), context.theme.muted, 'rate 1');
    drawVerticalMarker(plot, ctx, at.x(t.gdStableBelow), color(0), '2/λmax', [6, 4], 0);
    drawVerticalMarker(plot, ctx, at.x(t.gdOptimalLr), color(0), 'η*', [2, 3], 1);
    drawVerticalMarker(plot, ctx, at.x(t.momentumStableBelow), color(1), '2(1+μ)/λmax', [6, 4], 2);
    drawVerticalMarker(plot, ctx, at.x(run.params.lr), context.theme.foreground, 'lr', [1, 0], 3);
  }

  function drawContours(ctx: CanvasRenderingContext2D, width: number, height: number): void {
    const c = curvatures(run.params);
    const [x0, y0] = run.params.start;
    const extent = Math.max(Math.abs(x0), 2 * Math.abs(y0), 1) * 1.25;
    const view = equalAspectTransform(width, height, [-extent, extent], [-extent / 2, extent / 2]);
    const startLoss = quadraticLoss(c, x0, y0);
    ctx.lineWidth = 1;
    ctx.strokeStyle = withAlpha(context.theme.muted, 0.5);
    for (let k = 0; k < 12; k++) {
      const level = startLoss * 0.5 ** (k - 2);
      ctx.beginPath();
      ctx.ellipse(view.px(0), view.py(0), Math.sqrt((2 * level) / c.lambdaX) * view.scale, Math.sqrt((2 * level) / c.lambdaY) * view.scale, 0, 0, 2 * Math.PI);
      ctx.stroke();
    }
    ctx.fillStyle = context.theme.foreground;
    ctx.beginPath();
    ctx.arc(view.px(0), view.py(0), 3, 0, 2 * Math.PI);
    ctx.fill();
    run.trajectories.forEach((trajectory, i) => {
      ctx.strokeStyle = color(i);
      ctx.fillStyle = color(i);
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      for (let t = 0; t < trajectory.x.length; t++) {
        const px = Math.max(-1e4, Math.min(1e4, view.px(trajectory.x[t]!)));
        const py = Math.max(-1e4, Math.min(1e4, view.py(trajectory.y[t]!)));
        if (t === 0) ctx.moveTo(px, py);
        else ctx.lineTo(px, py);
      }
      ctx.stroke();
      for (let t = 0; t < Math.min(trajectory.x.length, 60); t++) {
        ctx.beginPath();
        ctx.arc(view.px(trajectory.x[t]!), view.py(trajectory.y[t]!), 2, 0, 2 * Math.PI);
        ctx.fill();
      }
    });
    ctx.font = context.theme.font;
    run.trajectories.forEach((trajectory, i) => {
      ctx.fillStyle = color(i);
      const status = trajectory.divergedAt !== undefined ? ` (diverged at step ${trajectory.divergedAt})` : '';
      ctx.fillText(`${METHOD_LABELS[trajectory.method]}${status}`, 8, 16 + 16 * i);
    });
  }

  function rateCurves(): PlotData {
    const c = curvatures(run.params);
    const maxLr = 1.3 * Math.max(run.theory.momentumStableBelow, run.params.lr);
    const lrs: number[] = [];
    const gd: number[] = [];
    const momentum: number[] = [];
    for (let i = 1; i <= 300; i++) {
      const lr = (maxLr * i) / 300;
      lrs.push(lr);
      gd.push(Math.min(1.5, gradientDescentRate(spectrumOf(run.params), lr)));
      momentum.push(Math.min(1.5, Math.max(heavyBallRate(lr, run.params.momentum, c.lambdaX), heavyBallRate(lr, run.params.momentum, c.lambdaY))));
    }
    return [lrs, gd, momentum];
  }

  function update(): void {
    const v = controls.values;
    context.save(v);
    run = simulateQuadratic({ lr: v.lr, kappa: v.kappa, momentum: v.momentum, beta1: v.beta1, beta2: v.beta2, eps: v.eps, steps: v.steps });
    contour.redraw();
    const steps = Array.from({ length: run.params.steps + 1 }, (_, t) => t);
    // Zero or cut-off losses become gaps: a log axis cannot show them.
    const series = run.trajectories.map((trajectory) => steps.map((t) => {
      const loss = trajectory.loss[t];
      return loss !== undefined && loss > 0 ? loss : null;
    }));
    lossChart.setData([steps, ...series]);
    rateChart.setData(rateCurves());
    const t = run.theory;
    const p = run.params;
    renderFacts(layout.facts, [
      ['λ_min, λ_max', `${formatNumber(p.lambdaMax / p.kappa)}, ${formatNumber(p.lambdaMax)}`],
      ['GD stable iff η < 2/λ_max', `${formatNumber(t.gdStableBelow)} — now ${p.lr < t.gdStableBelow ? 'stable' : 'unstable'}`],
      ['GD monotone iff η ≤ 1/λ_max', formatNumber(t.gdMonotoneUpTo)],
      ['Optimal η* = 2/(λ_min + λ_max)', formatNumber(t.gdOptimalLr)],
      ['Optimal rate (κ − 1)/(κ + 1)', formatNumber(t.gdOptimalRate)],
      ['GD rate at this η: max|1 − ηλ|', formatNumber(t.gdRateAtLr)],
      ['Momentum stable iff lr < 2(1 + μ)/λ_max', `${formatNumber(t.momentumStableBelow)} — now ${p.lr < t.momentumStableBelow ? 'stable' : 'unstable'}`],
      ['Polyak optimum lr*, μ*, rate (√κ − 1)/(√κ + 1)', `${formatNumber(t.momentumOptimalLr)}, ${formatNumber(t.momentumOptimalMomentum)}, ${formatNumber(t.momentumOptimalRate)}`],
    ]);
    renderMessages(layout.messages, run.messages);
    contour.describe(
      run.trajectories.map((tr) => `${METHOD_LABELS[tr.method]} ${tr.divergedAt !== undefined ? `diverges at step ${tr.divergedAt}` : `ends at loss ${formatNumber(last(tr.loss, 'a trajectory starts at its initial loss'))}`}`).join('; '),
    );
  }

  update();
  return {
    dispose: () => {
      contour.destroy();
      lossChart.destroy();
      rateChart.destroy();
    },
  };
};
