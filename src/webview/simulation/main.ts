// The simulation panel's browser bundle: one page hosting all six simulations. The host sends
// {type:'showSimulation', simulation, init?, seed?}; the panel answers 'ready' on load and 'simulationShown'
// after mounting. State (current simulation, seed, control values) survives the panel being hidden through
// the webview state API. Built for a strict CSP: no inline scripts, handlers or style attributes.
import type { HostToSimulation, SimulationId, SimulationInit, SimulationToHost } from '../protocol';
import { element, type ControlValue } from './dom';
import { mountActivationVariance } from './sims/variance';
import { mountDiffusionForward } from './sims/diffusion';
import { mountGradientDescent } from './sims/gd';
import { mountReceptiveField } from './sims/receptiveField';
import { mountRnnDynamics } from './sims/rnn';
import { mountSoftmaxSaturation } from './sims/softmax';
import { readTheme } from './theme';
import type { MountSimulation, SimulationView } from './types';

interface VsCodeApi {
  postMessage(message: SimulationToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface PanelState {
  readonly simulation: SimulationId;
  readonly seed: number;
  readonly values: Partial<Record<SimulationId, Record<string, ControlValue>>>;
  readonly init?: SimulationInit;
}

interface SimulationMenuEntry {
  readonly id: SimulationId;
  readonly title: string;
  readonly topic: string;
  readonly mount: MountSimulation;
}

// Never empty: its first entry is the fallback for an unknown id.
const SIMULATION_MENU: readonly [SimulationMenuEntry, ...SimulationMenuEntry[]] = [
  { id: 'gd-momentum-adam', title: 'GD, momentum and Adam on a quadratic', topic: 'gd-least-squares-convergence', mount: mountGradientDescent },
  { id: 'activation-variance', title: 'Activation variance through depth', topic: 'weight-init-xavier-he', mount: mountActivationVariance },
  { id: 'softmax-saturation', title: 'Softmax saturation against d', topic: 'attention-sqrt-d-scaling', mount: mountSoftmaxSaturation },
  { id: 'rnn-dynamics', title: 'RNN dynamics and spectral radius', topic: 'rnn-bptt-exploding-vanishing', mount: mountRnnDynamics },
  { id: 'diffusion-forward', title: 'Diffusion forward process', topic: 'diffusion-forward-process', mount: mountDiffusionForward },
  { id: 'receptive-field', title: 'Receptive field', topic: 'receptive-field', mount: mountReceptiveField },
];

/** Outside VS Code (a browser test page) there is no host: messages go nowhere and state lives in memory. */
function vsCodeApi(): VsCodeApi {
  if (typeof acquireVsCodeApi === 'function') return acquireVsCodeApi();
  let state: unknown;
  return { postMessage: () => undefined, getState: () => state, setState: (s) => (state = s) };
}

function isSimulationId(value: unknown): value is SimulationId {
  return SIMULATION_MENU.some((s) => s.id === value);
}

function restoredState(raw: unknown): PanelState {
  const fallback: PanelState = { simulation: 'gd-momentum-adam', seed: 1, values: {} };
  if (typeof raw !== 'object' || raw === null) return fallback;
  const state = raw as Partial<PanelState>;
  return {
    simulation: isSimulationId(state.simulation) ? state.simulation : fallback.simulation,
    seed: Number.isInteger(state.seed) ? (state.seed as number) : fallback.seed,
    values: typeof state.values === 'object' && state.values !== null ? state.values : {},
    init: state.init,
  };
}

function start(): void {
  const api = vsCodeApi();
  let state = restoredState(api.getState());
  let view: SimulationView | undefined;
  let mountCount = 0;

  const app = element('main', { class: 'app' });
  const header = element('header', { class: 'toolbar' });
  const picker = element('select', { id: 'simulation-picker' });
  for (const s of SIMULATION_MENU) picker.append(element('option', { value: s.id }, s.title));
  const seedInput = element('input', { id: 'simulation-seed', type: 'number', min: '0', max: '999999', step: '1' });
  const reseed = element('button', { type: 'button', id: 'simulation-reseed', title: 'Draw a new seed' }, 'New seed');
  const topicLink = element('button', { type: 'button', class: 'link', id: 'simulation-topic' }, 'Open the notes topic');
  header.append(
    element('label', { for: 'simulation-picker' }, 'Simulation'),
    picker,
    element('label', { for: 'simulation-seed' }, 'Seed'),
    seedInput,
    reseed,
    topicLink,
  );
  const title = element('h1', { id: 'simulation-title' });
  const stage = element('div', { class: 'stage', id: 'simulation-stage' });
  app.append(header, title, stage);
  document.body.append(app);

  const persist = (next: PanelState): void => {
    state = next;
    api.setState(state);
  };

  const show = (simulation: SimulationId): void => {
    view?.dispose();
    stage.replaceChildren();
    const entry = SIMULATION_MENU.find((s) => s.id === simulation) ?? SIMULATION_MENU[0];
    picker.value = entry.id;
    seedInput.value = String(state.seed);
    title.textContent = entry.title;
    document.title = `Simulation: ${entry.title}`;
    mountCount += 1;
    view = entry.mount(stage, {
      theme: readTheme(),
      seed: state.seed,
      init: state.init,
      saved: state.values[entry.id],
      save: (values) => persist({ ...state, values: { ...state.values, [entry.id]: { ...values } } }),
      idPrefix: `sim${mountCount}`,
    });
    persist({ ...state, simulation: entry.id });
    api.postMessage({ type: 'simulationShown', simulation: entry.id });
  };

  picker.addEventListener('change', () => {
    if (isSimulationId(picker.value)) show(picker.value);
  });
  seedInput.addEventListener('change', () => {
    const seed = Math.trunc(Number(seedInput.value));
    if (!Number.isFinite(seed)) return;
    persist({ ...state, seed });
    show(state.simulation);
  });
  reseed.addEventListener('click', () => {
    persist({ ...state, seed: Math.floor(Math.random() * 1e6) });
    show(state.simulation);
  });
  topicLink.addEventListener('click', () => {
    const entry = SIMULATION_MENU.find((s) => s.id === state.simulation);
    if (entry) api.postMessage({ type: 'openTopic', topic: entry.topic });
  });

  window.addEventListener('message', (event: MessageEvent<HostToSimulation>) => {
    const message = event.data;
    if (typeof message !== 'object' || message === null) return;
    if (message.type === 'showSimulation' && isSimulationId(message.simulation)) {
      // Values from the user's code replace the saved slider positions of that simulation.
      const values = message.init ? { ...state.values, [message.simulation]: undefined } : state.values;
      persist({ ...state, init: message.init ?? state.init, seed: Number.isInteger(message.seed) ? (message.seed as number) : state.seed, values });
      show(message.simulation);
    } else if (message.type === 'theme') {
      show(state.simulation);
    }
  });

  // VS Code swaps the body's theme class without a message when the user changes theme.
  new MutationObserver(() => show(state.simulation)).observe(document.body, { attributes: true, attributeFilter: ['class'] });

  show(state.simulation);
  api.postMessage({ type: 'ready' });
}

start();
