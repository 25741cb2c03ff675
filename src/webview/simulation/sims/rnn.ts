// RNN dynamics: ‖h_t‖ and the BPTT gradient norm against t (log), with the eigenvalues of W on the unit circle.
import { simulateRnn, type RnnRun } from '../../../core/simulations/rnnDynamics';
import { canvasView, equalAspectTransform, lineChart } from '../charts';
import { formatNumber, renderControls, renderFacts, renderMessages } from '../dom';
import { withAlpha } from '../theme';
import { initialValue, simulationLayout, type MountSimulation } from '../types';

export const mountRnnDynamics: MountSimulation = (root, context) => {
  const layout = simulationLayout(
    root,
    'h_t = φ(W h_{t−1}) from a random unit h_0, with W = V·B·Vᵀ (V random orthogonal, B rotation blocks r·R(θ)), so the eigenvalues r·e^{±iθ} are exact. The gradient is ‖∂(uᵀh_T)/∂h_t‖ for a random unit u.',
  );
  const controls = renderControls(
    layout.controls,
    context.idPrefix,
    [
      { kind: 'range', key: 'rho', label: 'Spectral radius ρ', min: 0.5, max: 1.5, step: 0.01, value: initialValue(context.saved, 'rho', 1.05) },
      {
        kind: 'select',
        key: 'kind',
        label: 'Recurrent matrix',
        options: [
          { value: 'orthogonal', label: 'ρ × random orthogonal (all |λ| = ρ)' },
          { value: 'eigen', label: 'Chosen pole pair ρe^{±iθ}, others smaller' },
        ],
        value: initialValue(context.saved, 'kind', 'orthogonal'),
      },
      { kind: 'range', key: 'theta', label: 'Pole angle θ (rad)', min: 0, max: Math.PI, step: 0.01, value: initialValue(context.saved, 'theta', Math.PI / 8) },
      {
        kind: 'select',
        key: 'nonlinearity',
        label: 'Nonlinearity φ',
        options: [
          { value: 'linear', label: 'linear' },
          { value: 'tanh', label: 'tanh' },
        ],
        value: initialValue(context.saved, 'nonlinearity', 'linear'),
      },
      { kind: 'range', key: 'size', label: 'State size n', min: 2, max: 64, integer: true, step: 1, value: initialValue(context.saved, 'size', 32) },
      { kind: 'range', key: 'steps', label: 'Steps T', min: 5, max: 200, integer: true, step: 1, value: initialValue(context.saved, 'steps', 50) },
    ],
    () => update(),
  );
  const colors = context.theme.series;
  let run: RnnRun = simulateRnn({});
  const normsChart = lineChart(
    layout.plots,
    {
      title: 'State norm ‖h_t‖ and gradient norm ‖∂L/∂h_t‖ (log scale)',
      xLabel: 't',
      yLabel: 'norm',
      logY: true,
      series: [
        { label: '‖h_t‖', color: colors[0] },
        { label: '‖∂L/∂h_t‖', color: colors[1] },
        { label: 'ρ^t', color: colors[0], dash: [4, 4], width: 1 },
        { label: 'ρ^(T−t)', color: colors[1], dash: [4, 4], width: 1 },
      ],
    },
    context.theme,
  );
  const circle = canvasView(
    layout.plots,
    'Eigenvalues of W and the unit circle',
    (ctx, width, height) => {
      const view = equalAspectTransform(width, height, [-1.6, 1.6], [-1.6, 1.6]);
      ctx.strokeStyle = context.theme.muted;
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.arc(view.px(0), view.py(0), view.scale, 0, 2 * Math.PI);
      ctx.stroke();
      ctx.strokeStyle = withAlpha(context.theme.muted, 0.4);
      ctx.beginPath();
      ctx.moveTo(view.px(-1.6), view.py(0));
      ctx.lineTo(view.px(1.6), view.py(0));
      ctx.moveTo(view.px(0), view.py(-1.6));
      ctx.lineTo(view.px(0), view.py(1.6));
      ctx.stroke();
      ctx.fillStyle = colors[3];
      for (const e of run.eigenvalues) {
        ctx.beginPath();
        ctx.arc(view.px(e.re), view.py(e.im), 4, 0, 2 * Math.PI);
        ctx.fill();
      }
      ctx.fillStyle = context.theme.foreground;
      ctx.font = context.theme.font;
      ctx.fillText('|λ| = 1', view.px(0.72), view.py(0.78));
    },
    320,
  );

  function update(): void {
    const v = controls.values;
    context.save(v);
    run = simulateRnn({ rho: v.rho, kind: v.kind, theta: v.theta, nonlinearity: v.nonlinearity, size: v.size, steps: v.steps, seed: context.seed });
    const T = run.params.steps;
    const ts = Array.from({ length: T + 1 }, (_, t) => t);
    const positive = (values: Float64Array): (number | null)[] => [...values].map((x) => (x > 0 ? x : null));
    const rho = run.params.rho;
    normsChart.setData([ts, positive(run.stateNorm), positive(run.gradientNorm), ts.map((t) => (rho > 0 ? rho ** t : null)), ts.map((t) => (rho > 0 ? rho ** (T - t) : null))]);
    circle.redraw();
    const maxModulus = Math.max(...run.eigenvalues.map((e) => Math.hypot(e.re, e.im)));
    circle.describe(`${run.eigenvalues.length} eigenvalues, largest modulus ${formatNumber(maxModulus)}`);
    const regime = rho > 1 ? 'explodes' : rho < 1 ? 'vanishes' : 'is preserved';
    renderFacts(layout.facts, [
      ['ρ(W) = max |λ|', formatNumber(maxModulus)],
      ['‖h_T‖ (simulated / ρ^T)', `${formatNumber(run.stateNorm[T]!)} / ${formatNumber(rho ** T)}`],
      ['‖∂L/∂h_0‖ (simulated / ρ^T)', `${formatNumber(run.gradientNorm[0]!)} / ${formatNumber(rho ** T)}`],
      ['Linear case', `the gradient ${regime} like ρ^(T−t)`],
      ['Steps per factor e, 1/|ln ρ|', rho > 0 && rho !== 1 ? formatNumber(1 / Math.abs(Math.log(rho))) : '∞'],
    ]);
    renderMessages(layout.messages, run.messages);
  }

  update();
  return {
    dispose: () => {
      normsChart.destroy();
      circle.destroy();
    },
  };
};
