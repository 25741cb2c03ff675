// Messages between the extension host and the analysis worker thread. Analysis runs off the
// extension host's main thread so typing never waits for it.
import type { ModelSummary, TorchVersion } from '../core/index';
import type { EditorView } from '../core/editor/view';
import type { UserModelSettings } from '../core/editor/modelInputs';

export interface AnalyzeMessage {
  readonly type: 'analyze';
  readonly id: number;
  readonly path: string;
  readonly text: string;
  /** Texts of workspace files the document imports, by absolute path (read by the host). */
  readonly files: Readonly<Record<string, string>>;
  readonly user: Readonly<Record<string, UserModelSettings>>;
  readonly budgetMs: number;
  /** Code checks (CC-xx) turned off in the settings. */
  readonly disabledChecks: readonly string[];
  /** mlNotes.init.varianceGainRange. */
  readonly varianceGainRange: readonly [number, number];
  /** The user's PyTorch release (mlNotes.torchVersion or the workspace environment's). */
  readonly torchVersion: TorchVersion;
}

export interface CloseMessage {
  readonly type: 'close';
  readonly path: string;
}

/** The full summary of one model of a document (for the summary panel). */
export interface SummarizeMessage {
  readonly type: 'summarize';
  readonly id: number;
  readonly path: string;
  readonly text: string;
  readonly files: Readonly<Record<string, string>>;
  readonly model: string;
  readonly inputs?: readonly string[];
  readonly dtype?: 'float' | 'long';
  readonly budgetMs: number;
  readonly torchVersion: TorchVersion;
}

export type ToWorker = AnalyzeMessage | CloseMessage | SummarizeMessage;

export type FromWorker =
  | { readonly type: 'result'; readonly id: number; readonly analysis: EditorView; readonly missingFiles: readonly string[] }
  | { readonly type: 'summary'; readonly id: number; readonly summary: ModelSummary | { readonly error: string }; readonly gains: Readonly<Record<string, number>> }
  | { readonly type: 'failed'; readonly id: number; readonly message: string };
