// The model-summary panel: a torchinfo-like table (path, type, output shape, params, MACs, receptive
// field) with totals and the unknowns, built with DOM APIs only (no inline handlers, no innerHTML of data).
import type { HostToSummary, SummaryState, SummaryToHost, SummaryView } from '../summaryProtocol';
import type { CallReport, JsonShape } from '../../core/index';

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
  if (shape === null) return 'None';
  if (shape.length > 0 && shape.every((d) => Array.isArray(d) || d === null)) return `(${(shape as JsonShape[]).map(shapeText).join(', ')})`;
  return `[${(shape as (number | string)[]).join(', ')}]`;
}

const count = (n: number): string => n.toLocaleString('en-US');

function row(call: CallReport, file: string, gains: Readonly<Record<string, number>>): HTMLTableRowElement {
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
  if (call.error) tr.classList.add('error');
  return tr;
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
  for (const c of s.calls) table.tBodies[0]!.append(row(c, view.file, view.gains ?? {}));
  app.append(table);
  if (Object.keys(view.gains ?? {}).length) app.append(el('p', 'Var gain: g = fan_in·Var(W)·c of each Linear/Conv with the activation after it (c = ½ for ReLU); 1 keeps the signal steady, and a chain multiplies its gains.', 'subtitle'));
  const totals = el('dl', undefined, 'totals');
  const macs = typeof s.macs === 'number' ? count(s.macs) : s.macs;
  for (const [k, v] of [
    ['Output', shapeText(s.output)],
    ['Total params', count(s.params)],
    ['Trainable params', count(s.trainable_params)],
    ['Non-trainable params', count(s.params - s.trainable_params)],
    ['Total MACs', `${macs} (one multiply-add = 1 MAC)`],
  ] as const) totals.append(el('dt', k), el('dd', v));
  app.append(totals);
  if (s.unknown.length) {
    app.append(el('h2', 'Unknowns'));
    const list = el('ul');
    for (const u of s.unknown) list.append(el('li', `line ${u.line}: ${u.reason}`));
    app.append(list);
  }
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
