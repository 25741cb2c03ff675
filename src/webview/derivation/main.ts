// The derivation panel's browser bundle: renders one notes topic with KaTeX — title, summary, formulas, the
// user's numbers when opened from code, then the derivation steps, each collapsible with its justification.
// It builds the DOM with createElement only (the CSP allows no inline scripts or style attributes; KaTeX's
// DOM renderer sets styles through CSSOM, which the CSP permits), talks to the host through the typed
// protocol, and keeps the shown topic in the webview state so a reload restores it.
import katex from 'katex';
import type { DerivationState, DerivationToHost, HostToDerivation, ShowTopicMessage } from '../protocol';
import type { CalculatorId, NoteFormula, NoteParameter, NoteTopic, SimulationId } from '../../core/notes/types';

interface VsCodeApi {
  postMessage(message: DerivationToHost): void;
  getState(): unknown;
  setState(state: DerivationState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

/** Readable names for the link buttons, one for every simulation and calculator id. */
const SIMULATION_NAMES: Readonly<Record<SimulationId, string>> = {
  'gd-momentum-adam': 'GD, momentum and Adam on a quadratic',
  'activation-variance': 'Activation variance through depth',
  'softmax-saturation': 'Softmax saturation vs d',
  'rnn-dynamics': 'RNN state and gradient dynamics',
  'diffusion-forward': 'Diffusion forward noising',
  'receptive-field': 'Receptive field on the input grid',
};

const CALCULATOR_NAMES: Readonly<Record<CalculatorId, string>> = {
  'conv-out': 'Conv output size',
  'pool-out': 'Pool output size',
  'convtranspose-out': 'Transposed-conv output size',
  'conv-padding': 'Padding that keeps the size',
  'receptive-field': 'Receptive field of a stack',
  'conv-params': 'Conv parameters and MACs',
  'attention-cost': 'Attention cost',
  'kv-cache': 'KV-cache size',
  'lm-training-memory': 'LM training memory',
  'vit-tokens': 'ViT tokens',
  'init-std': 'Init std',
  'gd-step': 'GD step-size bounds',
  'adam-bias': 'Adam bias correction',
  'diffusion-schedule': 'Diffusion schedule',
  'kl-gaussians': 'KL of Gaussians',
};

let current: ShowTopicMessage | undefined;
let collapsed = new Set<number>();

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function post(message: DerivationToHost): void {
  vscode.postMessage(message);
}

function saveState(): void {
  if (current) vscode.setState({ message: current, collapsed: [...collapsed] });
}

/** Renders KaTeX into a fresh element; a formula that fails shows its Unicode form and is reported. */
function math(tex: string, fallback: string, displayMode: boolean): HTMLElement {
  const node = el(displayMode ? 'div' : 'span', displayMode ? 'math math-display' : 'math');
  try {
    katex.render(tex, node, { displayMode, throwOnError: true, strict: 'ignore', output: 'htmlAndMathml' });
  } catch (error) {
    node.textContent = fallback;
    node.classList.add('math-fallback');
    post({ type: 'log', level: 'error', message: `KaTeX could not render ${JSON.stringify(tex)}: ${error instanceof Error ? error.message : String(error)}` });
  }
  return node;
}

function formulaBlock(formula: NoteFormula): HTMLElement {
  const figure = el('figure', 'formula');
  figure.append(math(formula.tex, formula.text, true));
  if (formula.label) figure.append(el('figcaption', 'formula-label', formula.label));
  return figure;
}

function section(title: string, id: string): HTMLElement {
  const node = el('section', 'block');
  node.setAttribute('aria-labelledby', id);
  const heading = el('h2', undefined, title);
  heading.id = id;
  node.append(heading);
  return node;
}

function actionButton(label: string, action: () => void, title?: string): HTMLButtonElement {
  const button = el('button', 'action', label);
  button.type = 'button';
  if (title) button.title = title;
  button.addEventListener('click', action);
  return button;
}

function actions(topic: NoteTopic, substitutedValues: Readonly<Record<string, number>> | undefined): HTMLElement | undefined {
  const bar = el('div', 'actions');
  bar.setAttribute('role', 'toolbar');
  bar.setAttribute('aria-label', 'Topic actions');
  for (const simulation of topic.simulations) {
    bar.append(actionButton(`▶ ${SIMULATION_NAMES[simulation]}`, () => post({ type: 'openSimulation', topicId: topic.id, simulation }), 'Run simulation'));
  }
  for (const calculator of topic.calculators) {
    const message: DerivationToHost = substitutedValues
      ? { type: 'openCalculator', topicId: topic.id, calculator, values: substitutedValues }
      : { type: 'openCalculator', topicId: topic.id, calculator };
    bar.append(actionButton(`∑ ${CALCULATOR_NAMES[calculator]}`, () => post(message), 'Open calculator'));
  }
  topic.snippets.forEach((snippet, index) => {
    bar.append(actionButton(`↳ Insert: ${snippet.title}`, () => post({ type: 'insertSnippet', topicId: topic.id, index }), 'Insert snippet at the cursor'));
  });
  return bar.childElementCount > 0 ? bar : undefined;
}

/** The editable numbers of a topic with parameters; submitting asks the host for a new substitution. */
function parameterForm(topic: NoteTopic, values: Readonly<Record<string, number>>): HTMLFormElement {
  const form = el('form', 'parameters');
  form.setAttribute('aria-label', 'Numbers to substitute');
  const inputs = topic.parameters.map((p: NoteParameter) => {
    const label = el('label', 'parameter');
    const name = el('span', 'parameter-name');
    name.append(math(p.tex, p.name, false));
    const input = el('input');
    input.type = 'number';
    input.name = p.name;
    input.value = String(values[p.name] ?? p.defaultValue);
    input.min = String(p.min);
    if (p.max !== undefined) input.max = String(p.max);
    input.step = p.integer ? '1' : 'any';
    input.title = p.label;
    input.setAttribute('aria-label', `${p.name}: ${p.label}`);
    label.append(name, input);
    form.append(label);
    return input;
  });
  const submit = el('button', 'action primary', 'Substitute');
  submit.type = 'submit';
  form.append(submit);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const entered: Record<string, number> = {};
    for (const input of inputs) entered[input.name] = Number(input.value);
    post({ type: 'substitute', topicId: topic.id, values: entered });
  });
  return form;
}

function substitutionSection(message: ShowTopicMessage): HTMLElement | undefined {
  const { topic, substitution, substitutionError, source } = message;
  if (topic.parameters.length === 0) return undefined;
  const node = section(substitution ? 'With your numbers' : 'Try it with numbers', 'numbers-heading');
  node.classList.add('numbers');
  if (source) node.append(el('p', 'source', `From ${source}`));
  if (substitutionError) {
    const error = el('p', 'error', substitutionError);
    error.setAttribute('role', 'alert');
    node.append(error);
  }
  for (const line of substitution?.lines ?? []) node.append(formulaBlock(line));
  node.append(parameterForm(topic, substitution?.values ?? {}));
  return node;
}

function stepItem(topic: NoteTopic, index: number): HTMLLIElement {
  const step = topic.derivation[index]!;
  const item = el('li', 'step');
  const details = el('details');
  details.open = !collapsed.has(index);
  const summary = el('summary');
  summary.append(el('span', 'step-number', `Step ${index + 1}`), el('span', 'step-why', step.why));
  details.append(summary, math(step.tex, step.why, true));
  details.addEventListener('toggle', () => {
    if (details.open) collapsed.delete(index);
    else collapsed.add(index);
    saveState();
  });
  item.append(details);
  return item;
}

function derivationSection(topic: NoteTopic): HTMLElement {
  const node = section('Derivation', 'derivation-heading');
  if (topic.derivation.length === 0) {
    node.append(el('p', 'muted', 'A conceptual topic: the formulas above are the whole story.'));
    return node;
  }
  const controls = el('div', 'step-controls');
  const setAll = (open: boolean): void => {
    collapsed = open ? new Set() : new Set(topic.derivation.map((_, i) => i));
    node.querySelectorAll('details').forEach((d) => (d.open = open));
    saveState();
  };
  controls.append(actionButton('Expand all', () => setAll(true)), actionButton('Collapse all', () => setAll(false)));
  const list = el('ol', 'steps');
  topic.derivation.forEach((_, i) => list.append(stepItem(topic, i)));
  list.addEventListener('keydown', onStepKey);
  node.append(controls, list);
  return node;
}

/** Arrow keys move between step headers; Home and End jump to the first and last. */
function onStepKey(event: KeyboardEvent): void {
  const summaries = [...document.querySelectorAll<HTMLElement>('.steps summary')];
  const index = summaries.indexOf(document.activeElement as HTMLElement);
  if (index < 0) return;
  const target = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: summaries.length - 1 }[event.key];
  if (target === undefined) return;
  event.preventDefault();
  summaries[Math.max(0, Math.min(summaries.length - 1, target))]?.focus();
}

function listSection(title: string, id: string, items: readonly string[]): HTMLElement | undefined {
  if (items.length === 0) return undefined;
  const node = section(title, id);
  const list = el('ul');
  for (const text of items) list.append(el('li', undefined, text));
  node.append(list);
  return node;
}

function linksSection(topic: NoteTopic): HTMLElement | undefined {
  if (topic.related.length === 0 && topic.checks.length === 0) return undefined;
  const node = section('See also', 'links-heading');
  if (topic.checks.length > 0) {
    const checks = el('p', 'checks');
    checks.append(el('span', 'muted', 'Code checks: '));
    for (const id of topic.checks) checks.append(el('code', 'chip', id));
    node.append(checks);
  }
  if (topic.related.length > 0) {
    const related = el('div', 'related');
    for (const id of topic.related) related.append(actionButton(id, () => post({ type: 'openTopic', topic: id }), 'Open this topic'));
    node.append(related);
  }
  return node;
}

function render(message: ShowTopicMessage): void {
  const { topic } = message;
  const app = document.getElementById('app') ?? document.body;
  const article = el('article', 'topic');
  article.setAttribute('aria-labelledby', 'topic-title');
  const header = el('header');
  const title = el('h1', undefined, topic.title);
  title.id = 'topic-title';
  header.append(title, el('p', 'meta', `${topic.area} · ${topic.id} · confidence: ${topic.confidence}`));
  article.append(header, el('p', 'summary', topic.summary));
  const parts = [
    actions(topic, message.substitution?.values),
    substitutionSection(message),
    (() => {
      const node = section('Formulas', 'formulas-heading');
      topic.formulas.forEach((f) => node.append(formulaBlock(f)));
      return node;
    })(),
    derivationSection(topic),
    listSection('Caveats', 'caveats-heading', topic.caveats),
    linksSection(topic),
  ];
  for (const part of parts) if (part) article.append(part);
  app.replaceChildren(article);
  document.title = topic.title;
}

function show(message: ShowTopicMessage): void {
  // A new substitution for the same topic keeps the steps the user collapsed; a new topic starts open.
  if (current?.topic.id !== message.topic.id) collapsed = new Set();
  current = message;
  render(message);
  saveState();
}

function isDerivationState(value: unknown): value is DerivationState {
  const state = value as Partial<DerivationState> | undefined;
  return typeof state === 'object' && state !== null && state.message?.type === 'showTopic' && Array.isArray(state.collapsed);
}

window.addEventListener('message', (event: MessageEvent<HostToDerivation>) => {
  const message = event.data;
  try {
    if (message?.type === 'showTopic') show(message);
    else if (message?.type === 'theme') document.body.dataset['theme'] = message.kind;
  } catch (error) {
    // A malformed message must not leave a blank panel without a trace: report it to the host's log.
    post({ type: 'log', level: 'error', message: `derivation panel could not show the message: ${error instanceof Error ? error.message : String(error)}` });
  }
});

function showPlaceholder(): void {
  const app = document.getElementById('app');
  if (app) app.replaceChildren(el('p', 'muted', 'Open a topic from the ML Notes sidebar or a hover link.'));
}

const restored = vscode.getState();
try {
  if (isDerivationState(restored)) {
    collapsed = new Set(restored.collapsed);
    current = restored.message;
    render(restored.message);
  } else showPlaceholder();
} catch (error) {
  // State saved by an older build may not fit this renderer: start empty rather than stay blank.
  current = undefined;
  collapsed = new Set();
  showPlaceholder();
  post({ type: 'log', level: 'info', message: `derivation panel dropped its saved state: ${error instanceof Error ? error.message : String(error)}` });
}
// Always announce readiness, so the host delivers the messages it queued.
post({ type: 'ready' });
