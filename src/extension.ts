// Extension entry point: creates the shared services and registers each feature. Features live in
// src/vscode/ as thin adapters over the plain data that src/core returns.
import * as vscode from 'vscode';
import { createLog } from './vscode/log';
import { createStatusItem } from './vscode/statusBar';
import { registerNotes, type NotesViewApi } from './vscode/notes';
import { registerCalculators } from './vscode/calculators';
import { AnalysisService } from './vscode/analysisService';
import { registerModelFeatures } from './vscode/modelFeatures';
import { createSummaryPanel } from './vscode/summaryPanel';
import { registerSimulations } from './vscode/simulations';
import { registerWalkthrough } from './vscode/walkthrough';

/** What the extension exports to other extensions and to its own extension-host tests. */
export interface MlNotesApi {
  readonly activationMs: number;
  /** The per-document analysis cache (extension-host tests read it). */
  readonly analysis: AnalysisService;
  /** The notes sidebar's tree data. */
  readonly notesView: NotesViewApi;
  /** The status-bar item (its text is what the tests read). */
  readonly status: vscode.StatusBarItem;
}

export function activate(context: vscode.ExtensionContext): MlNotesApi {
  const started = performance.now();
  const log = createLog(context);
  const notesView = registerNotes(context, log);
  registerCalculators(context, log);
  const analysis = new AnalysisService(context, log);
  context.subscriptions.push(analysis);
  registerModelFeatures(context, analysis, createSummaryPanel(context, analysis, log));
  registerSimulations(context, analysis, log);
  context.subscriptions.push(vscode.commands.registerCommand('mlNotes.showOutput', () => log.show()));
  registerWalkthrough(context);
  const status = createStatusItem(context, analysis);
  const activationMs = performance.now() - started;
  log.info(`activated in ${activationMs.toFixed(1)} ms`);
  return { activationMs, analysis, notesView, status };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
