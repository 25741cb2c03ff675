// Messages of the model-summary panel (the torchinfo-like table), shared with the host by `import type`.
import type { FitReport, ModelSummary } from '../core/index';
import type { CommonHostToWebview, CommonWebviewToHost } from './protocol';

export interface SummaryView {
  readonly className: string;
  readonly file: string;
  readonly summary?: ModelSummary;
  readonly error?: string;
  /** Forward variance gain g = fan_in·Var(W)·c of each Linear/Conv, by module path. */
  readonly gains?: Readonly<Record<string, number>>;
  /** A module path whose rows to highlight and scroll to (from a hover's "Show in summary"). */
  readonly focus?: string;
  /** "Does it fit?" (mlNotes.costs.gpuMemoryGB): the largest training batch and its memory breakdown, or why not. */
  readonly fit?: FitReport | { readonly error: string };
}

export type HostToSummary = CommonHostToWebview | { readonly type: 'showSummary'; readonly view: SummaryView };

export type SummaryToHost = CommonWebviewToHost | { readonly type: 'revealLine'; readonly file: string; readonly line: number };

/** What the summary webview persists with setState so a reload redraws the same table. */
export interface SummaryState {
  readonly view?: SummaryView;
}
