// Messages between the extension host and the analysis worker process. Analysis runs off the extension
// host's main thread, and in its own process so that no file can take the host down with it.
import type { FitReport, ModelSummary, TorchVersion } from '../core/index';
import type { EditorView, HoverSource } from '../core/editor/view';
import type { HoverContent } from '../core/editor/hover';
import type { Position } from '../core/ranges';
import type { UserModelSettings } from '../core/editor/modelInputs';
import type { AnalysisMode } from '../core/editor/documentAnalysis';
import type { LineRange } from '../core/editor/visibleModels';
import type { PostedView } from '../core/editor/viewDelta';

/**
 * Imported files' texts the worker has not seen yet (or that changed since), by absolute path; the worker
 * keeps every text it was sent until `dropFiles` names it, so an unchanged import crosses over only once.
 */
export interface FileDelta {
  readonly files: Readonly<Record<string, string>>;
  readonly dropFiles?: readonly string[];
}

export interface AnalyzeMessage extends FileDelta {
  readonly type: 'analyze';
  readonly id: number;
  readonly path: string;
  readonly text: string;
  readonly user: Readonly<Record<string, UserModelSettings>>;
  /** The whole analysis (parse, module scope, every model, checks) shares this many milliseconds. */
  readonly budgetMs: number;
  /** 'moduleScope' after the host's watchdog had to stop a full analysis of this document. */
  readonly mode: AnalysisMode;
  /** Code checks (CC-xx) turned off in the settings. */
  readonly disabledChecks: readonly string[];
  /** mlNotes.init.varianceGainRange. */
  readonly varianceGainRange: readonly [number, number];
  /** The user's PyTorch release (mlNotes.torchVersion or the workspace environment's). */
  readonly torchVersion: TorchVersion;
  /** mlNotes.costs.gpuMemoryGB in bytes; 0: no "does it fit?". */
  readonly gpuBytes?: number;
  /**
   * Post partial views before the answer: the visible models' part (with `visibleLines`) as soon as those models
   * are done, and every model's part before the checks run; absent: one answer only.
   */
  readonly partialView?: boolean;
  /** The lines the editor shows (vscode's visibleRanges): their models are analysed first. */
  readonly visibleLines?: readonly LineRange[];
}

/** A newer request for the same document arrived: stop request `id` at its next step; it answers `superseded`. */
export interface CancelMessage {
  readonly type: 'cancel';
  readonly id: number;
}

export interface CloseMessage {
  readonly type: 'close';
  readonly path: string;
}

/** The full summary of one model of a document (for the summary panel). */
export interface SummarizeMessage extends FileDelta {
  readonly type: 'summarize';
  readonly id: number;
  readonly path: string;
  readonly text: string;
  readonly model: string;
  readonly inputs?: readonly string[];
  readonly dtype?: 'float' | 'long';
  readonly budgetMs: number;
  readonly torchVersion: TorchVersion;
  /** mlNotes.costs.gpuMemoryGB in bytes; 0: no "does it fit?". */
  readonly gpuBytes?: number;
}

/**
 * The hover at a position of a document's view, rendered from the analysis the view names (`EditorView.hovers`).
 * Answered at once, between the steps of a running analysis (not queued behind it); nothing when the worker has
 * posted a newer view of the document since (the host is about to show it).
 */
export interface HoverMessage {
  readonly type: 'hover';
  readonly id: number;
  readonly path: string;
  readonly source: HoverSource;
  readonly position: Position;
}

export type ToWorker = AnalyzeMessage | CancelMessage | CloseMessage | SummarizeMessage | HoverMessage;

export type PartialScope = 'visible' | 'models';

/** What the final answer adds to a `partial` view of the same request: the checks' findings. */
export interface ChecksPart {
  readonly findings: EditorView['findings'];
  readonly requestedFiles: EditorView['requestedFiles'];
  readonly elapsedMs: number;
}

export type FromWorker =
  /** Sent once when the worker process has loaded and listens. */
  | { readonly type: 'ready' }
  /**
   * A view of every model is posted as what changed since the last one posted for the document (in this process,
   * since its last `close`): the host keeps that one and applies the change (viewDelta.ts).
   */
  | { readonly type: 'result'; readonly id: number; readonly view: PostedView; readonly missingFiles: readonly string[] }
  /**
   * Part of the view before the answer (no findings yet): 'visible', the models in the visible lines and those that
   * run them (posted whole: `full`); 'models', every model's shapes, hints, hovers and shape diagnostics.
   */
  | { readonly type: 'partial'; readonly id: number; readonly scope: PartialScope; readonly view: PostedView }
  /** The final answer after a 'models' `partial`: that view with the checks' part (the view is not sent twice). */
  | { readonly type: 'checked'; readonly id: number; readonly checks: ChecksPart; readonly missingFiles: readonly string[] }
  /** A `cancel` stopped the request between two steps. */
  | { readonly type: 'superseded'; readonly id: number }
  | { readonly type: 'summary'; readonly id: number; readonly summary: ModelSummary | { readonly error: string }; readonly gains: Readonly<Record<string, number>>; readonly fit?: FitReport | { readonly error: string } }
  | { readonly type: 'failed'; readonly id: number; readonly message: string }
  /** The answer to a `hover`: no `hover` when there is none at the position or the view is stale; `error` when rendering threw. */
  | { readonly type: 'hover'; readonly id: number; readonly hover?: HoverContent; readonly error?: string };
