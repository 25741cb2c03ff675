// The notes as plain data: every topic of the catalogue, with KaTeX formulas, Unicode plain-text forms
// for hovers and terminals, step-by-step derivations and links to checks, calculators and simulations.
// Everything here is serializable, so a topic can be posted to a webview as it is.
import type { CalculatorId } from '../calculators/ids';
import type { SimulationId } from '../simulations/catalog';

export type { CalculatorId, SimulationId };

export type AreaId =
  | 'sequence-models'
  | 'attention-transformers'
  | 'generative'
  | 'cnn-arithmetic'
  | 'normalization-init'
  | 'optimization'
  | 'regularization'
  | 'transfer-meta'
  | 'graph-nets'
  | 'math-probability';

export interface AreaInfo {
  readonly id: AreaId;
  readonly title: string;
  /** A VS Code codicon name (without the `$(...)` wrapper). */
  readonly icon: string;
}

export type Confidence = 'high' | 'medium' | 'low';

/** A formula in two forms: KaTeX source for panels, Unicode text for hovers and terminals. */
export interface NoteFormula {
  readonly tex: string;
  readonly text: string;
  /** Optional short caption, e.g. "PyTorch default". */
  readonly label?: string;
}

/** One derivation step: its math, and a one-line justification in words. */
export interface DerivationStep {
  readonly tex: string;
  readonly why: string;
}

/** A named numeric input a derivation can be evaluated with (e.g. conv-output-size: L, K, S, P, D). */
export interface NoteParameter {
  readonly name: string;
  /** KaTeX symbol, e.g. `L_{in}`. */
  readonly tex: string;
  readonly label: string;
  readonly defaultValue: number;
  readonly min: number;
  readonly max?: number;
  readonly integer: boolean;
}

export interface NoteSnippet {
  readonly title: string;
  /** Python code inserted at the cursor. */
  readonly code: string;
}

export interface NoteTopic {
  readonly id: string;
  readonly area: AreaId;
  readonly title: string;
  readonly summary: string;
  readonly confidence: Confidence;
  readonly formulas: readonly NoteFormula[];
  readonly derivation: readonly DerivationStep[];
  /** Corrections and precisions the catalogue adds to what the notes say. */
  readonly caveats: readonly string[];
  /** CC ids whose "Why" cites this topic (derived from codeChecks). */
  readonly checks: readonly string[];
  readonly calculators: readonly CalculatorId[];
  readonly simulations: readonly SimulationId[];
  readonly snippets: readonly NoteSnippet[];
  readonly parameters: readonly NoteParameter[];
  /** Other topic ids worth reading next. */
  readonly related: readonly string[];
}

/** A topic as written in the area files: `checks` is filled in from the check table. */
export type NoteTopicSource = Omit<NoteTopic, 'checks' | 'caveats' | 'calculators' | 'simulations' | 'snippets' | 'parameters' | 'related'> &
  Partial<Pick<NoteTopic, 'caveats' | 'calculators' | 'simulations' | 'snippets' | 'parameters' | 'related'>>;

export type CheckSeverity = 'error' | 'warning' | 'info';

export interface CodeCheckInfo {
  readonly id: string;
  readonly slug: string;
  readonly severity: CheckSeverity;
  /** Topic ids the check's "Why" cites. */
  readonly cites: readonly string[];
  /** What the check detects, in one line (SARIF's short description, the rule list). */
  readonly title: string;
  /** Why a check is not built: a measurement contradicted its premise, or another rule covers it (docs/checks.md). A retired check has no rule and is not listed in SARIF. */
  readonly retired?: string;
}

/** The user's numbers substituted into a topic's derivation, computed by the core's formula functions. */
export interface NoteSubstitution {
  readonly values: Readonly<Record<string, number>>;
  /** Lines such as `H_{out} = \lfloor (224 + 2\cdot 3 - 1\cdot(7-1) - 1)/2 \rfloor + 1 = 112`. */
  readonly lines: readonly NoteFormula[];
}

/** Plain data for the sidebar tree: areas, each with its topics. */
export interface NotesTreeArea {
  readonly kind: 'area';
  readonly id: AreaId;
  readonly label: string;
  readonly icon: string;
  readonly children: readonly NotesTreeTopic[];
}

export interface NotesTreeTopic {
  readonly kind: 'topic';
  readonly id: string;
  readonly label: string;
  readonly description: string;
  readonly tooltip: string;
  /** codicon: derivation, simulation or plain reference card. */
  readonly icon: string;
  readonly hasDerivation: boolean;
  readonly simulations: readonly SimulationId[];
  readonly calculators: readonly CalculatorId[];
  readonly hasSnippet: boolean;
}

/** What a derivation panel shows: a topic, optionally evaluated with the user's numbers (plain data). */
export interface TopicView {
  readonly type: 'showTopic';
  readonly topic: NoteTopic;
  /** From substituteTopic(topic.id, values). */
  readonly substitution?: NoteSubstitution;
  /** Why the requested substitution could not be made (shown instead of the numbers). */
  readonly substitutionError?: string;
  /** Where the numbers came from, e.g. "model.py:12 nn.Conv2d(3, 64, 7, 2, 3)". */
  readonly source?: string;
}
