// The typed message protocol between the extension host and the webview bundles.
// Host and webviews import these types with `import type`, so one definition serves both sides. The data
// the messages carry (topic views, simulation seeds, ids) is the core's, imported from there.
import type { CalculatorId } from '../core/calculators/ids';
import type { TopicView } from '../core/notes/types';
import type { SimulationId } from '../core/simulations/catalog';
import type { SimulationInit } from '../core/simulations/init';

export type { SimulationId, SimulationInit };

/** Messages every panel understands, whatever it shows. */
export type CommonHostToWebview = { readonly type: 'theme'; readonly kind: 'light' | 'dark' | 'high-contrast' };
export type CommonWebviewToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'log'; readonly level: 'info' | 'error'; readonly message: string };

// ---- Simulation panel (src/webview/simulation) ----

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
  | { readonly type: 'openSimulation'; readonly topicId: string; readonly simulation: SimulationId }
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
