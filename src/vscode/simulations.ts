// "ML Notes: Open Simulation…": the simulation panel, seeded from the user's code when opened from an
// optimizer call or a model (the analysis service's results), from the sidebar, or from the palette.
import * as vscode from 'vscode';
import { SIMULATIONS, isSimulationId } from '../core/simulations/catalog';
import { optimizerAt } from '../core/editor/simulationSeeds';
import type { NotesTreeTopic } from '../core/notes/types';
import type { HostToSimulation, SimulationId, SimulationInit, SimulationToHost } from '../webview/protocol';
import type { AnalysisService } from './analysisService';
import type { Log } from './log';
import { SinglePanel } from './panels/singlePanel';
import { simulationMessage } from './webviewMessages';

export interface SimulationCommandArgs {
  readonly simulation?: SimulationId;
  readonly init?: SimulationInit;
  /** Seed from this document (and position) instead of the active editor. */
  readonly uri?: string;
  readonly line?: number;
}

/** Starting values from the active Python editor: its optimizer call for GD, its model for the others. */
function seedFromEditor(simulation: SimulationId, service: AnalysisService, editor: vscode.TextEditor | undefined, line?: number): SimulationInit | undefined {
  if (!editor || editor.document.languageId !== 'python') return undefined;
  const name = vscode.workspace.asRelativePath(editor.document.uri);
  const analysis = service.get(editor.document.uri);
  if (!analysis) return undefined;
  if (simulation === 'gd-momentum-adam') {
    const seed = optimizerAt(analysis.optimizers, line === undefined ? editor.selection.active : { line, character: 0 });
    if (!seed) return undefined;
    const { range, ...optimizer } = seed;
    return { optimizer, source: `${name}:${range.start.line + 1} ${seed.kind}` };
  }
  const seed = analysis.layerSeed;
  const model = analysis.models.find((m) => m.expression)?.expression;
  return Object.keys(seed).length ? { ...seed, ...(model ? { source: `${name} ${model}` } : {}) } : undefined;
}

async function pickSimulation(): Promise<SimulationId | undefined> {
  const picked = await vscode.window.showQuickPick(
    SIMULATIONS.map((s) => ({ label: s.title, description: s.id, id: s.id })),
    { title: vscode.l10n.t('ML Notes: Open Simulation'), placeHolder: vscode.l10n.t('Which simulation?') },
  );
  return picked?.id;
}

export function registerSimulations(context: vscode.ExtensionContext, service: AnalysisService, log: Log): void {
  const panel = new SinglePanel<HostToSimulation, SimulationToHost>({
    viewType: 'mlNotes.simulation',
    extensionUri: context.extensionUri,
    shell: { bundle: 'simulation', styles: ['simulation.css'], title: vscode.l10n.t('ML Notes: Simulation') },
    validate: simulationMessage,
    onRefused: (what) => log.info(`simulation panel: ignored a message (${what})`),
    onMessage: (message) => {
      if (message.type === 'openTopic') void vscode.commands.executeCommand('mlNotes.openDerivation', message.topic);
      if (message.type === 'log' && message.level === 'error') log.error(`simulation panel: ${message.message}`);
    },
  });
  context.subscriptions.push(
    panel,
    vscode.commands.registerCommand('mlNotes.openSimulation', async (arg?: SimulationCommandArgs | NotesTreeTopic) => {
      // From the sidebar the argument is a topic node: open its first simulation.
      const args: SimulationCommandArgs | undefined = arg && 'kind' in arg ? { ...(arg.simulations[0] ? { simulation: arg.simulations[0] } : {}) } : arg;
      const simulation = args?.simulation && isSimulationId(args.simulation) ? args.simulation : await pickSimulation();
      if (!simulation) return;
      const editor = args?.uri ? vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === args.uri) : vscode.window.activeTextEditor;
      const init = args?.init ?? seedFromEditor(simulation, service, editor, args?.line);
      const title = SIMULATIONS.find((s) => s.id === simulation)?.title ?? simulation;
      panel.show({ type: 'showSimulation', simulation, ...(init ? { init } : {}) }, `ML Notes: ${title}`);
    }),
  );
}
