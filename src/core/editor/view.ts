// What the editor's main thread keeps of an analysis: everything already rendered or reduced (hover
// Markdown per site, hints, lenses, diagnostics, simulation seeds), so each editor feature is a lookup
// and the result that crosses from the worker stays small.
import type { EditorAnalysis } from './documentAnalysis';
import { hoverSites, type HoverSite } from './hover';
import { modelLayerSeed } from './simulationSeeds';
import type { SimulationInit } from '../simulations/init';

export interface EditorView extends Omit<EditorAnalysis, 'calls' | 'modules' | 'layerWeights' | 'layerBiases' | 'containerCalls' | 'ops' | 'statements' | 'loops'> {
  readonly hoverSites: readonly HoverSite[];
  /** The first model's layers for the simulations (widths, inits, activations, conv geometry). */
  readonly layerSeed: SimulationInit;
}

export function editorView(analysis: EditorAnalysis): EditorView {
  const { calls: _calls, modules: _modules, layerWeights: _weights, layerBiases: _biases, containerCalls: _containers, ops: _ops, statements: _statements, loops: _loops, ...rest } = analysis;
  return { ...rest, hoverSites: hoverSites(analysis), layerSeed: modelLayerSeed(analysis) };
}
