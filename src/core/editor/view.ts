// What the editor's main thread keeps of an analysis: everything already rendered or reduced (hints, lenses,
// diagnostics, simulation seeds), so each editor feature is a lookup and the result that crosses from the
// worker stays small. Hovers are rendered on request from the analysis the worker keeps (`ShownHovers`): the
// view names that analysis (`hovers`), so a hover is asked of the version shown and a stale one answers nothing.
import type { Range } from '../values';
import type { Position } from '../ranges';
import { rangeSize } from '../ranges';
import type { EditorAnalysis } from './documentAnalysis';
import { DocumentHovers, type HoverAnalysis, type HoverCandidate, type HoverContent } from './hover';
import { modelLayerSeed } from './simulationSeeds';
import type { SimulationInit } from '../simulations/init';

/**
 * Which analyses the worker renders a view's hovers from, by the id of the request that made them: `analysis`, a
 * view of every model; `visible`, a partial view of the visible models laid over it (withVisibleModels). Empty:
 * the view has no hovers (the host made it).
 */
export interface HoverSource {
  readonly analysis?: number;
  readonly visible?: number;
}

export interface EditorView extends Omit<EditorAnalysis, 'calls' | 'modules' | 'layerWeights' | 'layerBiases' | 'containerCalls' | 'ops' | 'statements' | 'loops'> {
  readonly hovers: HoverSource;
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
    hovers: { ...previous.hovers, ...partial.hovers },
    variables: split(previous.variables, partial.variables, (v) => v.statement.start.line),
  };
}

/** The analysis's fields the view leaves out: the worker keeps them for its hovers. */
const ANALYSIS_ONLY: ReadonlySet<string> = new Set<keyof EditorAnalysis>(['calls', 'modules', 'layerWeights', 'layerBiases', 'containerCalls', 'ops', 'statements', 'loops']);

export function editorView(analysis: EditorAnalysis, hovers: HoverSource = {}): EditorView {
  // The fields are copied one by one: the analysis makes some of those left out only when they are read.
  const rest: Record<string, unknown> = {};
  for (const key of Object.keys(analysis)) if (!ANALYSIS_ONLY.has(key)) rest[key] = analysis[key as keyof EditorAnalysis];
  return { ...(rest as Omit<EditorView, 'hovers' | 'layerSeed'>), hovers, layerSeed: modelLayerSeed(analysis) };
}

/** What the worker keeps of the views it posted for one document, to render their hovers on request. */
export interface ShownHovers {
  /** The last view of every model (a 'models' partial view or a one-message answer). */
  readonly analysis?: { readonly id: number; readonly hovers: DocumentHovers };
  /** A partial view of the visible models posted after it, with the class ranges it covers. */
  readonly visible?: { readonly id: number; readonly hovers: DocumentHovers; readonly classes: readonly Range[] };
}

/** What the worker keeps after posting a view of request `id`: a view of every model replaces both parts. */
export function shownAfter(shown: ShownHovers | undefined, id: number, scope: keyof HoverSource, analysis: HoverAnalysis): ShownHovers {
  const hovers = new DocumentHovers(analysis);
  if (scope === 'analysis') return { analysis: { id, hovers } };
  return { ...(shown?.analysis ? { analysis: shown.analysis } : {}), visible: { id, hovers, classes: analysis.models.map((m) => m.classRange) } };
}

/**
 * The hover at a position of the view `source` names, rendered from the analyses the worker kept; nothing when it
 * no longer keeps one of them (a newer view was posted: the host is about to show it). As withVisibleModels
 * shows it: inside the visible partial's classes, its sites; elsewhere, the view's under it.
 */
export function hoverInShown(shown: ShownHovers | undefined, source: HoverSource, position: Position): HoverContent | undefined {
  if (source.analysis === undefined && source.visible === undefined) return undefined;
  if (source.analysis !== undefined && shown?.analysis?.id !== source.analysis) return undefined;
  if (source.visible !== undefined && shown?.visible?.id !== source.visible) return undefined;
  const visible = source.visible !== undefined ? shown?.visible : undefined;
  // A partial view with nothing under it is shown whole.
  const inside = (range: Range): boolean => source.analysis === undefined || (visible?.classes.some((r) => range.start.line >= r.start.line && range.start.line <= r.end.line) ?? false);
  let best: HoverCandidate | undefined = source.analysis !== undefined ? shown?.analysis?.hovers.innermost(position, (range) => !inside(range)) : undefined;
  const over = visible?.hovers.innermost(position, inside);
  if (over && (!best || rangeSize(over.range) < rangeSize(best.range))) best = over;
  return best && { range: best.range, markdown: best.render() };
}
