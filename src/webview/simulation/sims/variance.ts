// Activation and gradient std per layer: seeded simulation beside the mean-field theory, for a chosen init,
// activation, width and depth, or for the layers of the user's model.
import {
  ACTIVATIONS,
  INIT_SCHEMES,
  INIT_SCHEME_LABELS,
  sanitizeVariance,
  varianceSteps,
  type VarianceResult,
} from '../../../core/simulations/activationVariance';
import { lineChart } from '../charts';
import { element, formatNumber, renderControls, renderFacts, renderMessages } from '../dom';
import { runInFrames, type FramedRun } from '../frames';
import { initialValue, simulationLayout, type MountSimulation } from '../types';

export const mountActivationVariance: MountSimulation = (root, context) => {
  const layout = simulationLayout(
    root,
    'A batch of N(0, 1) inputs goes through depth × Linear(width, width) + activation with zero biases; a random unit-variance gradient comes back. Solid: simulation with seeded weights. Dashed: mean-field theory.',
  );
  // The host's layers cross a message boundary: sanitizeVariance checks them field by field.
  const hostLayers: readonly unknown[] = Array.isArray(context.init?.layers) ? context.init.layers : [];
  const useHost = hostLayers.length > 0;
  const controls = renderControls(
    layout.controls,
    context.idPrefix,
    [
      ...(useHost
        ? [
            {
              kind: 'select' as const,
              key: 'stack',
              label: 'Layers',
              options: [
                { value: 'model', label: 'From your model' },
                { value: 'uniform', label: 'Uniform stack below' },
              ],
              value: initialValue(context.saved, 'stack', 'model'),
              hint: 'Your model’s layers keep their own sizes, inits and activations; the controls below shape the uniform stack.',
            },
          ]
        : []),
      { kind: 'select', key: 'init', label: 'Weight init', options: INIT_SCHEMES.map((s) => ({ value: s, label: INIT_SCHEME_LABELS[s] })), value: initialValue(context.saved, 'init', 'default') },
      { kind: 'select', key: 'activation', label: 'Activation', options: ACTIVATIONS.map((a) => ({ value: a, label: a })), value: initialValue(context.saved, 'activation', 'relu') },
      { kind: 'range', key: 'width', label: 'Width', min: 16, max: 1024, log: true, integer: true, value: initialValue(context.saved, 'width', 256) },
      { kind: 'range', key: 'depth', label: 'Depth', min: 1, max: 100, integer: true, step: 1, value: initialValue(context.saved, 'depth', 20) },
      { kind: 'range', key: 'batch', label: 'Batch', min: 8, max: 256, log: true, integer: true, value: initialValue(context.saved, 'batch', 64) },
      { kind: 'range', key: 'customStd', label: 'Custom std (for “custom”)', min: 1e-3, max: 1, log: true, value: initialValue(context.saved, 'customStd', 0.05) },
    ],
    () => update(),
  );
  if (context.init?.source) layout.controls.append(element('p', { class: 'source' }, `Layers from ${context.init.source}.`));

  const [activationColor, gradientColor] = context.theme.series;
  const chart = lineChart(
    layout.plots,
    {
      title: 'Std of activations and of back-propagated gradients per layer (log scale)',
      xLabel: 'layer',
      integerX: true,
      yLabel: 'std',
      logY: true,
      height: 300,
      series: [
        { label: 'activations (simulated)', color: activationColor, points: true },
        { label: 'activations (theory)', color: activationColor, dash: [6, 4] },
        { label: 'gradients (simulated)', color: gradientColor, points: true },
        { label: 'gradients (theory)', color: gradientColor, dash: [6, 4] },
      ],
    },
    context.theme,
  );

  let running: FramedRun<VarianceResult> | undefined;

  function show(result: VarianceResult): void {
    const layers = Array.from({ length: result.activationStd.length }, (_, l) => l);
    const positive = (values: Float64Array): (number | null)[] => [...values].map((v) => (v > 0 && Number.isFinite(v) ? v : null));
    chart.setData([layers, positive(result.activationStd), positive(result.activationStdTheory), positive(result.gradientStd), positive(result.gradientStdTheory)]);
    const last = layers.length - 1;
    renderFacts(layout.facts, [
      ['Activation std after the last layer (simulated / theory)', `${formatNumber(result.activationStd[last]!)} / ${formatNumber(result.activationStdTheory[last]!)}`],
      ['Gradient std at the input (simulated / theory)', `${formatNumber(result.gradientStd[0]!)} / ${formatNumber(result.gradientStdTheory[0]!)}`],
      ['Reference (PyTorch, 20 × 512, ReLU, bias=False)', 'default 1.4e-8, Xavier 7.6e-4, Kaiming ≈0.85–1.0; default bias: 1.6e-2'],
    ]);
  }

  function update(): void {
    const v = controls.values;
    context.save(v);
    running?.cancel();
    const setup = sanitizeVariance(
      { init: v.init, activation: v.activation, width: v.width, depth: v.depth, batch: v.batch, customStd: v.customStd, seed: context.seed },
      useHost && v.stack !== 'uniform' ? hostLayers : undefined,
    );
    renderMessages(layout.messages, setup.messages);
    layout.status.textContent = 'Simulating…';
    const run = runInFrames(varianceSteps(setup), (fraction) => (layout.status.textContent = `Simulating… ${Math.round(fraction * 100)}%`));
    running = run;
    void run.done.then((result) => {
      if (!result || running !== run) return;
      layout.status.textContent = '';
      show(result);
    });
  }

  update();
  return {
    dispose: () => {
      running?.cancel();
      chart.destroy();
    },
  };
};
