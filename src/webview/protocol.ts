// The typed message protocol between the extension host and the webview bundles.
// Host and webviews import these types with `import type`, so one definition serves both sides.
import type { CalculatorId, SimulationId as NoteSimulationId, TopicView } from '../core/notes/types';

/** Messages every panel understands, whatever it shows. */
export type CommonHostToWebview = { readonly type: 'theme'; readonly kind: 'light' | 'dark' | 'high-contrast' };
export type CommonWebviewToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'log'; readonly level: 'info' | 'error'; readonly message: string };

// ---- Simulation panel (src/webview/simulation) ----

/** Ids of the simulations (the notes link to them); kept in step with SIMULATION_IDS in src/core/simulations. */
export type SimulationId = 'gd-momentum-adam' | 'activation-variance' | 'softmax-saturation' | 'rnn-dynamics' | 'diffusion-forward' | 'receptive-field';

/** Optimizer settings parsed from the user's `optim.SGD(...)` / `optim.Adam(...)` call. */
export interface SimulationOptimizerInit {
  readonly kind?: 'sgd' | 'adam' | 'adamw';
  readonly lr?: number;
  readonly momentum?: number;
  readonly betas?: readonly [number, number];
  readonly eps?: number;
}

/** One dense layer of the user's model as the core resolved it (init: a scheme name or the catalogue's InitSpec). */
export interface SimulationDenseLayerInit {
  readonly fan_in: number;
  readonly fan_out: number;
  readonly init: string | { readonly kind: string; readonly [key: string]: unknown };
  /** relu, tanh, linear, gelu or sigmoid: the activation that follows the layer. */
  readonly activation: string;
}

/** One conv/pool layer along a spatial axis, from the core's receptive-field analysis. */
export interface SimulationConvLayerInit {
  /** Absent: a conv or pooling window. For 'nearest' and 'bilinear' upsampling, `stride` is the scale factor. */
  readonly kind?: 'conv' | 'transposed' | 'nearest' | 'bilinear';
  readonly kernel: number;
  readonly stride: number;
  readonly padding: number;
  readonly dilation: number;
  readonly name?: string;
}

/** Starting values from the code the panel was opened from; every field optional. */
export interface SimulationInit {
  readonly optimizer?: SimulationOptimizerInit;
  readonly layers?: readonly SimulationDenseLayerInit[];
  readonly convLayers?: readonly SimulationConvLayerInit[];
  readonly inputSize?: number;
  /** Where the values came from, shown in the panel, e.g. "train.py:14 optim.SGD". */
  readonly source?: string;
}

export type HostToSimulation =
  | CommonHostToWebview
  | { readonly type: 'showSimulation'; readonly simulation: SimulationId; readonly init?: SimulationInit; readonly seed?: number };

export type SimulationToHost =
  | CommonWebviewToHost
  | { readonly type: 'simulationShown'; readonly simulation: SimulationId }
  | { readonly type: 'openTopic'; readonly topic: string };

// ---- Derivation panel (src/webview/derivation) ----

/** Shows one topic; with a substitution, the derivation is also evaluated with the user's numbers.
 *  Built by topicView(id, values, source) in src/core/notes/view. */
export type ShowTopicMessage = TopicView;

export type HostToDerivation = CommonHostToWebview | ShowTopicMessage;

export type DerivationToHost =
  | CommonWebviewToHost
  | { readonly type: 'openSimulation'; readonly topicId: string; readonly simulation: NoteSimulationId }
  | { readonly type: 'openCalculator'; readonly topicId: string; readonly calculator: CalculatorId; readonly values?: Readonly<Record<string, number>> }
  /** The topic's snippet at `index`: the host looks its code up in the notes (it never inserts code a webview sends). */
  | { readonly type: 'insertSnippet'; readonly topicId: string; readonly index: number }
  | { readonly type: 'openTopic'; readonly topic: string }
  /** The user edited the numbers in the panel: the host answers with showTopic and a fresh substitution. */
  | { readonly type: 'substitute'; readonly topicId: string; readonly values: Readonly<Record<string, number>> };

/** What the derivation webview persists with setState, so a reload redraws the same topic and open steps. */
export interface DerivationState {
  readonly message: ShowTopicMessage;
  /** Indices of the derivation steps the user collapsed. */
  readonly collapsed: readonly number[];
}
