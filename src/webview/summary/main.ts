// The model-summary panel: a torchinfo-like table (path, type, output shape, params, MACs, receptive
// field) with totals and the unknowns, built with DOM APIs only (no inline handlers, no innerHTML of data).
import type { HostToSummary, SummaryState, SummaryToHost, SummaryView } from '../summaryProtocol';
import type { CallReport, FitReport, JsonShape } from '../../core/index';

interface VsCodeApi {
  postMessage(message: SummaryToHost): void;
  getState(): SummaryState | undefined;
  setState(state: SummaryState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function shapeText(shape: JsonShape): string {
  // Not known: the Unknowns list below says why.
  if (shape === null) return '?';
  if (shape.length > 0 && shape.every((d) => Array.isArray(d) || d === null)) return `(${(shape as JsonShape[]).map(shapeText).join(', ')})`;
  return `[${(shape as (number | string)[]).join(', ')}]`;
}

const count = (n: number): string => n.toLocaleString('en-US');

/** True for the focused module's own rows and its children's. */
const inFocus = (path: string, focus: string | undefined): boolean => focus !== undefined && (path === focus || path.startsWith(`${focus}.`));

function row(call: CallReport, file: string, gains: Readonly<Record<string, number>>, focus: string | undefined): HTMLTableRowElement {
  const tr = el('tr');
  const depth = call.path.split('.').length - 1;
  const pathCell = el('td');
  const link = el('a', call.path || '(model)', 'path');
  link.href = '#';
  link.style.paddingLeft = `${depth}em`;
  link.title = `Go to line ${call.line}`;
  link.addEventListener('click', (e) => {
    e.preventDefault();
    vscode.postMessage({ type: 'revealLine', file: call.file || file, line: call.line });
  });
  pathCell.append(link);
  tr.append(
    pathCell,
    el('td', call.type),
    el('td', shapeText(call.output), 'shape'),
    el('td', count(call.params), 'num'),
    el('td', call.macs === null ? '—' : typeof call.macs === 'number' ? count(call.macs) : call.macs, 'num'),
    el('td', call.rf ? `${call.rf.size.join('×')}${call.rf.exact ? '' : '*'}` : '—', 'num'),
    el('td', gains[call.path] !== undefined ? gains[call.path]!.toPrecision(3) : '', 'num'),
  );
  if (call.error) {
    tr.classList.add('error');
    tr.title = call.error;
  } else if (call.assumed) {
    tr.classList.add('assumed');
    tr.title = `Assumed after the error at line ${call.assumed.line}`;
  }
  if (inFocus(call.path, focus)) tr.classList.add('focus');
  return tr;
}

/** What the table's markers mean. */
function legend(withGains: boolean): HTMLElement {
  const list = el('dl', undefined, 'legend');
  const entries: [string, string][] = [
    ['?', 'a shape the analysis could not determine (see Unknowns below)'],
    ['—', 'no value: MACs not known, or no receptive field (token-wise layers such as Linear on tokens, attention, embeddings)'],
    ['RF', 'receptive field on the input grid: size per axis; a range a–b where input units differ'],
    ['*', 'after an RF size: inexact, branches with different layouts met'],
    ['red row', 'PyTorch would raise here (hover the row for the error); later rows go on with what the layer would give'],
    ['italic row', 'computed past an earlier shape error (assumed)'],
  ];
  if (withGains) entries.push(['Var gain', 'g = E[φ(z)²]/E[x²] of each Linear/Conv with the activation after it; 1 keeps the signal steady, a chain multiplies its gains']);
  for (const [term, meaning] of entries) list.append(el('dt', term), el('dd', meaning));
  const box = el('details', undefined, 'legend-box');
  box.open = true;
  box.append(el('summary', 'Legend'), list);
  return box;
}

function render(view: SummaryView): void {
  app.replaceChildren();
  app.append(el('h1', `${view.className} — summary`));
  if (view.error || !view.summary) {
    app.append(el('p', view.error ?? 'No summary.', 'error'));
    return;
  }
  const s = view.summary;
  app.append(el('p', `${s.model} on input ${s.input.map((i) => `[${i.join(', ')}]`).join(', ')}`, 'subtitle'));
  const table = el('table');
  const head = el('tr');
  for (const h of ['Layer (path)', 'Type', 'Output shape', 'Params', 'MACs', 'RF', 'Var gain']) head.append(el('th', h));
  table.append(el('thead'), el('tbody'));
  table.tHead!.append(head);
  for (const c of s.calls) table.tBodies[0]!.append(row(c, view.file, view.gains ?? {}, view.focus));
  // Wide tables scroll sideways inside their box instead of cutting a column.
  const scroller = el('div', undefined, 'table-scroll');
  scroller.append(table);
  app.append(scroller, legend(Object.keys(view.gains ?? {}).length > 0));
  table.querySelector('tr.focus')?.scrollIntoView({ block: 'center' });
  const totals = el('dl', undefined, 'totals');
  const macsText = (n: number | string): string => (typeof n === 'number' ? count(n) : n);
  for (const [k, v] of [
    ['Output', shapeText(s.output)],
    ['Total params', count(s.params)],
    ['Trainable params', count(s.trainable_params)],
    ['Non-trainable params', count(s.params - s.trainable_params)],
    ['Total MACs', `${s.macs_unknown ? 'at least ' : ''}${macsText(s.macs)} (every op)`],
    ['MACs of module calls', `${macsText(s.macs_modules)} (what module-hook counters report)`],
    ['Convention', s.macs_convention],
  ] as const) totals.append(el('dt', k), el('dd', v));
  app.append(totals);
  if (view.fit) app.append(fitSection(view.fit));
  if (s.unknown.length) {
    app.append(el('h2', 'Unknowns'));
    const list = el('ul');
    for (const u of s.unknown) list.append(el('li', `line ${u.line}: ${u.reason}`));
    app.append(list);
  }
}

const gib = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(2)} GiB`;

/** "Does it fit?": the largest batch and, at it, the memory by kind as a bar over the GPU's memory. */
function fitSection(fit: FitReport | { readonly error: string }): HTMLElement {
  const section = el('section', undefined, 'fit');
  section.append(el('h2', 'Does it fit?'));
  if ('error' in fit) {
    section.append(el('p', `Largest batch not found: ${fit.error}`, 'error'));
    return section;
  }
  const answer = fit.largest_batch === null ? 'not found' : fit.largest_batch === 0 ? 'none: one sample does not fit' : String(fit.largest_batch);
  section.append(el('p', `Largest training batch in ${gib(fit.gpu_bytes)}: ${answer}`, 'fit-answer'));
  const at = fit.at_largest;
  if (at) {
    const parts: [string, number, string][] = [
      ['parameters', at.params_bytes, 'params'],
      ['gradients', at.grads_bytes, 'grads'],
      ['optimizer state', at.optimizer_bytes, 'optimizer'],
      ['activations', at.activations_bytes, 'activations'],
    ];
    const bar = el('div', undefined, 'fit-bar');
    bar.setAttribute('role', 'img');
    bar.setAttribute('aria-label', `memory at batch ${at.batch}: ${parts.map(([name, bytes]) => `${name} ${gib(bytes)}`).join(', ')} of ${gib(fit.gpu_bytes)}`);
    const legendList = el('dl', undefined, 'fit-legend');
    for (const [name, bytes, kind] of parts) {
      const segment = el('div', undefined, `fit-segment ${kind}`);
      segment.style.width = `${Math.min(100, (100 * bytes) / fit.gpu_bytes)}%`;
      segment.title = `${name}: ${gib(bytes)}`;
      bar.append(segment);
      const swatch = el('span', undefined, `fit-swatch ${kind}`);
      const term = el('dt');
      term.append(swatch, document.createTextNode(name));
      legendList.append(term, el('dd', `${gib(bytes)} (${count(bytes)} B)`));
    }
    legendList.append(el('dt', 'peak'), el('dd', `${gib(at.peak_bytes)} at batch ${at.batch}`));
    section.append(bar, legendList);
  }
  section.append(
    el('p', `Peak ≈ ${gib(fit.fixed_bytes)} + ${gib(fit.per_sample_bytes)} per sample, from the training step at batches ${fit.evaluated.slice(0, 2).map((e) => e.batch).join(' and ')}; ${fit.affine ? 'affine in the batch (checked at the answer and the next batch)' : 'not affine in the batch: the answer was searched by analysing batches'}.`, 'subtitle'),
  );
  for (const note of fit.notes) section.append(el('p', note, 'subtitle'));
  return section;
}

window.addEventListener('message', (event: MessageEvent<HostToSummary>) => {
  const message = event.data;
  if (message.type === 'showSummary') {
    vscode.setState({ view: message.view });
    render(message.view);
  }
});

const saved = vscode.getState();
if (saved?.view) render(saved.view);
vscode.postMessage({ type: 'ready' });
