// Receptive field: the input pixels that reach one unit of a chosen layer, shaded by the number of kernel
// paths (uniform weights), with the unit's exact field as a box (formulas/receptiveField.ts).
import { formatRational } from '../../../core/formulas/rational';
import type { AxisSummary } from '../../../core/formulas/receptiveField';
import { DEFAULT_STACK, simulateReceptiveField, type ConvLayerSpec, type ReceptiveFieldRun } from '../../../core/simulations/receptiveField';
import { canvasView } from '../charts';
import { element, renderControls, renderFacts, renderMessages } from '../dom';
import { withAlpha } from '../theme';
import { initialValue, simulationLayout, type MountSimulation } from '../types';

const conv = (kernel: number, stride = 1, dilation = 1, padding = (dilation * (kernel - 1)) >> 1): ConvLayerSpec => ({
  kernel,
  stride,
  padding,
  dilation,
  name: `conv${kernel}${stride > 1 ? ` s${stride}` : ''}${dilation > 1 ? ` d${dilation}` : ''}`,
});

interface StackPreset {
  readonly label: string;
  readonly layers: readonly ConvLayerSpec[];
}

const PRESETS = {
  mixed: { label: '3×3, 3×3, 3×3 s2, 3×3 d2', layers: DEFAULT_STACK },
  three3x3: { label: 'three 3×3 (= one 7×7)', layers: [conv(3), conv(3), conv(3)] },
  strided: { label: 'five 3×3, stride 2 each', layers: [conv(3, 2), conv(3, 2), conv(3, 2), conv(3, 2), conv(3, 2)] },
  dilated: { label: 'dilations 1, 2, 4, 8 (WaveNet-style)', layers: [conv(3, 1, 1), conv(3, 1, 2), conv(3, 1, 4), conv(3, 1, 8)] },
  resnetStem: { label: 'ResNet stem: 7×7 s2, maxpool 3 s2', layers: [{ kernel: 7, stride: 2, padding: 3, dilation: 1, name: 'conv7 s2' }, { kernel: 3, stride: 2, padding: 1, dilation: 1, name: 'maxpool3 s2' }] },
  decoder: {
    label: 'DCGAN-style decoder: three 4×4 transposed s2 (jump 1/8)',
    layers: [1, 2, 3].map((i) => ({ kind: 'transposed', kernel: 4, stride: 2, padding: 1, dilation: 1, name: `convT4 s2 #${i}` }) as const),
  },
  upsample: {
    label: 'nearest ×2 then 4×4 conv (units see 2 or 3 inputs)',
    layers: [{ kind: 'nearest', kernel: 1, stride: 2, padding: 0, dilation: 1, name: 'upsample ×2' }, { kernel: 4, stride: 1, padding: 1, dilation: 1, name: 'conv4' }],
  },
} satisfies Readonly<Record<string, StackPreset>>;

/** "3" or "2–3" where units of the layer see different extents (after upsampling). */
const sizeText = (f: AxisSummary): string => (f.minSize !== f.size ? `${f.minSize}–${f.size}` : String(f.size));

export const mountReceptiveField: MountSimulation = (root, context) => {
  const layout = simulationLayout(root, 'Trace one unit of a layer back to the input. Shading: number of kernel paths reaching each pixel (the shape of the effective receptive field with uniform weights). Dashed box: the receptive-field formula.');
  const hostLayers = Array.isArray(context.init?.convLayers) ? context.init.convLayers : [];
  const stacks: Readonly<Record<string, StackPreset>> =
    hostLayers.length > 0 ? { model: { label: `your model${context.init?.source ? ` (${context.init.source})` : ''}`, layers: hostLayers }, ...PRESETS } : { ...PRESETS };
  const defaultStackKey = hostLayers.length > 0 ? 'model' : 'mixed';
  const stackKey = initialValue(context.saved, 'stack', defaultStackKey);
  const controls = renderControls(
    layout.controls,
    context.idPrefix,
    [
      { kind: 'select', key: 'stack', label: 'Layer stack', options: Object.entries(stacks).map(([value, s]) => ({ value, label: s.label })), value: stacks[stackKey] ? stackKey : defaultStackKey },
      { kind: 'range', key: 'layer', label: 'Trace from layer', min: 1, max: 8, integer: true, step: 1, value: initialValue(context.saved, 'layer', 8) },
      { kind: 'range', key: 'inputSize', label: 'Input size', min: 8, max: 128, integer: true, step: 1, value: initialValue(context.saved, 'inputSize', context.init?.inputSize ?? 32) },
      { kind: 'range', key: 'row', label: 'Unit row (fraction of the layer)', min: 0, max: 1, step: 0.01, value: initialValue(context.saved, 'row', 0.5), format: (v) => `${Math.round(v * 100)}%` },
      { kind: 'range', key: 'col', label: 'Unit column (fraction of the layer)', min: 0, max: 1, step: 0.01, value: initialValue(context.saved, 'col', 0.5), format: (v) => `${Math.round(v * 100)}%` },
    ],
    () => update(),
  );
  const table = element('div', { class: 'layer-table' });
  let run: ReceptiveFieldRun = simulateReceptiveField({});
  const grid = canvasView(
    layout.plots,
    'Input grid with the receptive field of the chosen unit',
    (ctx, width, height) => {
      const n = run.params.inputSize;
      const cell = Math.min(width, height) / n;
      const offsetX = (width - cell * n) / 2;
      let maxCount = 0;
      for (const r of run.rows) for (const c of run.cols) maxCount = Math.max(maxCount, r * c);
      const fill = context.theme.series[0];
      ctx.strokeStyle = withAlpha(context.theme.muted, 0.35);
      ctx.lineWidth = 1;
      for (let r = 0; r < n; r++) {
        for (let c = 0; c < n; c++) {
          const count = run.rows[r]! * run.cols[c]!;
          if (count > 0) {
            ctx.fillStyle = withAlpha(fill, 0.15 + 0.85 * (count / maxCount));
            ctx.fillRect(offsetX + c * cell, r * cell, cell, cell);
          }
          if (cell >= 6) ctx.strokeRect(offsetX + c * cell, r * cell, cell, cell);
        }
      }
      // The input's outline, visible even when the cells are too small for grid lines.
      ctx.strokeStyle = context.theme.muted;
      ctx.strokeRect(offsetX, 0, cell * n, cell * n);
      const box = run.box;
      ctx.strokeStyle = context.theme.series[3];
      ctx.setLineDash([5, 3]);
      ctx.lineWidth = 2;
      ctx.strokeRect(offsetX + box.firstCol * cell, box.first * cell, (box.lastCol - box.firstCol + 1) * cell, (box.last - box.first + 1) * cell);
      ctx.setLineDash([]);
    },
    480,
  );
  layout.plots.append(table);

  function update(): void {
    const v = controls.values;
    context.save(v);
    const stack = stacks[String(v.stack)] ?? stacks[defaultStackKey] ?? PRESETS.mixed;
    const inputSize = Number(v.inputSize);
    const probe = simulateReceptiveField({ inputSize, layers: stack.layers, layer: stack.layers.length });
    const usableLayers = Math.max(1, probe.sizes.length - 1);
    controls.setBounds('layer', 1, usableLayers);
    const layer = Math.min(Number(controls.values.layer), usableLayers);
    const size = probe.sizes[Math.max(layer, 0)]!;
    run = simulateReceptiveField({
      inputSize,
      layers: stack.layers,
      layer,
      row: Math.round(Number(v.row) * (size - 1)),
      col: Math.round(Number(v.col) * (size - 1)),
    });
    grid.redraw();
    const field = run.fields[run.params.layer]!;
    const reached = [...run.rows].filter((x) => x > 0).length * [...run.cols].filter((x) => x > 0).length;
    renderFacts(layout.facts, [
      ['Unit', `layer ${run.params.layer} (${run.sizes[run.params.layer]}×${run.sizes[run.params.layer]}), position (${run.params.row}, ${run.params.col})`],
      ['Receptive field r (formula)', `${sizeText(field)}×${sizeText(field)}`],
      ['Jump j (input pixels between neighbouring units)', formatRational(field.jump)],
      ['Start (centre of unit 0)', formatRational(field.start)],
      ['Input pixels actually reached', `${reached} (holes from dilation and the border are excluded)`],
    ]);
    renderLayerTable();
    grid.describe(`receptive field ${sizeText(field)}×${sizeText(field)}, jump ${formatRational(field.jump)}, ${reached} input pixels reached`);
    renderMessages(layout.messages, run.messages);
  }

  function renderLayerTable(): void {
    const tableElement = element('table');
    tableElement.append(element('caption', {}, 'Per layer: kernel, stride, padding, dilation, output size, receptive field r and jump j'));
    const head = element('tr');
    for (const h of ['layer', 'k', 's', 'p', 'd', 'size', 'r', 'j']) head.append(element('th', { scope: 'col' }, h));
    tableElement.append(head);
    run.params.layers.forEach((l, i) => {
      if (i + 1 >= run.sizes.length) return;
      const row = element('tr', i + 1 === run.params.layer ? { class: 'current' } : {});
      const f = run.fields[i + 1];
      const cells = [l.name ?? `layer ${i + 1}`, l.kernel, l.stride, l.padding, l.dilation, run.sizes[i + 1], f ? sizeText(f) : '', f ? formatRational(f.jump) : ''];
      for (const c of cells) row.append(element('td', {}, String(c)));
      tableElement.append(row);
    });
    table.replaceChildren(tableElement);
  }

  update();
  return { dispose: () => grid.destroy() };
};
