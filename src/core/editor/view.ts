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

/**
 * A partial view of the visible models laid over the last view: inside the partial's model classes, its models,
 * hints, hovers and variables; elsewhere the last view's, until the whole view arrives.
 */
export function withVisibleModels(previous: EditorView | undefined, partial: EditorView): EditorView {
  if (!previous) return partial;
  const classes = partial.models.map((m) => m.classRange);
  const inside = (line: number): boolean => classes.some((r) => line >= r.start.line && line <= r.end.line);
  const names = new Set(partial.models.map((m) => m.className));
  const split = <T>(items: readonly T[], fresh: readonly T[], line: (item: T) => number): T[] => [...items.filter((i) => !inside(line(i))), ...fresh.filter((i) => inside(line(i)))];
  return {
    ...previous,
    models: [...previous.models.filter((m) => !names.has(m.className)), ...partial.models].sort((a, b) => a.classRange.start.line - b.classRange.start.line),
    hints: split(previous.hints, partial.hints, (h) => h.position.line),
    hoverSites: split(previous.hoverSites, partial.hoverSites, (h) => h.range.start.line),
    variables: split(previous.variables, partial.variables, (v) => v.statement.start.line),
  };
}

export function editorView(analysis: EditorAnalysis): EditorView {
  const { calls: _calls, modules: _modules, layerWeights: _weights, layerBiases: _biases, containerCalls: _containers, ops: _ops, statements: _statements, loops: _loops, ...rest } = analysis;
  return { ...rest, hoverSites: hoverSites(analysis), layerSeed: modelLayerSeed(analysis) };
}
