// Starting values for the simulations from the code the user is editing: the optimizer call under the
// cursor (lr, momentum, betas), and the model's own layers (widths, inits, activations, conv geometry)
// as the analysis resolved them.
import type { AxisReader } from '../formulas/receptiveField';
import { rational } from '../formulas/rational';
import type { Expr, Module, Stmt } from '../python/ast';
import type { CallExpr } from '../python/syntax';
import { statementIndex } from './statementIndex';
import { containsPosition } from '../ranges';
import type { SimulationConvLayerInit, SimulationDenseLayerInit, SimulationInit, SimulationOptimizerInit } from '../simulations/init';
import { activationAfter } from './varianceChain';
import type { CallSite, EditorAnalysis } from './documentAnalysis';
import type { InitReport, ModuleReport } from '../index';
import { lookupLayer } from '../frameworks/torch/index';

type Call = CallExpr;

const OPTIMIZERS: Readonly<Record<string, NonNullable<SimulationOptimizerInit['kind']>>> = { SGD: 'sgd', Adam: 'adam', AdamW: 'adamw' };

function numberOf(e: Expr | undefined): number | undefined {
  if (!e) return undefined;
  if (e.k === 'num') return e.value;
  if (e.k === 'unary' && e.op === '-' && e.operand.k === 'num') return -e.operand.value;
  return undefined;
}

/** An optimizer construction in the file, with the settings its literal arguments give. */
export type OptimizerSite = SimulationOptimizerInit & { readonly kind: NonNullable<SimulationOptimizerInit['kind']>; readonly range: Call['r'] };

/** Each top-level statement's optimizer constructions, kept while an edit leaves the statement's object as it was. */
const STATEMENT_OPTIMIZERS = new WeakMap<Stmt, readonly OptimizerSite[]>();

function statementOptimizers(statement: Stmt): readonly OptimizerSite[] {
  let sites = STATEMENT_OPTIMIZERS.get(statement);
  if (!sites) STATEMENT_OPTIMIZERS.set(statement, (sites = statementIndex(statement).callList.flatMap((c) => (c.fn.k === 'attr' && c.fn.name in OPTIMIZERS ? [optimizerSettings(c)] : []))));
  return sites;
}

/** Every optimizer construction in the file (where a "Simulate" CodeLens goes), with its settings. */
export function optimizerCalls(module: Module): OptimizerSite[] {
  return module.body.flatMap(statementOptimizers);
}

/** The optimizer call containing the position, else the first one in the file. */
export function optimizerAt(sites: readonly OptimizerSite[], position?: { line: number; character: number }): OptimizerSite | undefined {
  return (position && sites.filter((s) => containsPosition(s.range, position)).pop()) ?? sites[0];
}

function optimizerSettings(call: Call): OptimizerSite {
  const kind = OPTIMIZERS[(call.fn as { name: string }).name]!;
  const keyword = (name: string) => call.args.find((a) => a.kind === 'kw' && a.name === name)?.value;
  // SGD(params, lr, momentum, ...) and Adam(params, lr, betas, eps, ...) take these positionally too.
  const positional = call.args.filter((a) => a.kind === 'pos').map((a) => a.value);
  const lr = numberOf(keyword('lr') ?? positional[1]);
  const momentum = kind === 'sgd' ? numberOf(keyword('momentum') ?? positional[2]) : undefined;
  const betasExpr = kind !== 'sgd' ? keyword('betas') ?? positional[2] : undefined;
  const betas = betasExpr && (betasExpr.k === 'tuple' || betasExpr.k === 'list') ? betasExpr.items.map(numberOf) : undefined;
  const eps = kind !== 'sgd' ? numberOf(keyword('eps') ?? positional[3]) : undefined;
  return {
    kind,
    range: call.r,
    ...(lr !== undefined ? { lr } : {}),
    ...(momentum !== undefined ? { momentum } : {}),
    ...(betas && betas.length === 2 && betas.every((b) => b !== undefined) ? { betas: [betas[0]!, betas[1]!] as const } : {}),
    ...(eps !== undefined ? { eps } : {}),
  };
}

/** Linear and Conv layers (lazy ones too): the steps of a variance chain, as their catalogue entries say. */
const isChainedDense = (type: string): boolean => {
  const role = lookupLayer(type)?.traits?.variance;
  return role?.kind === 'dense' && role.chained;
};

/** The receptive-field panel's layer for a reader: windows, transposed windows and integer ×F nearest/bilinear upsampling. */
function simulationLayer(reader: AxisReader): SimulationConvLayerInit | undefined {
  if (reader.kind !== 'resample') return { kind: reader.kind === 'window' ? 'conv' : 'transposed', kernel: reader.kernel, stride: reader.stride, padding: reader.padding, dilation: reader.dilation };
  if (reader.a.n !== 1) return undefined;
  const factor = reader.a.d;
  const upsample = { kernel: 1, stride: factor, padding: 0, dilation: 1 };
  if (reader.before === 0 && reader.after === 0 && reader.b.n === 0) return { kind: 'nearest', ...upsample };
  // align_corners=False linear: x = (o + ½)/F − ½, so b = (1 − F)/(2F).
  const linear = rational(1 - factor, 2 * factor);
  if (reader.before === 0 && reader.after === 1 && reader.b.n === linear.n && reader.b.d === linear.d) return { kind: 'bilinear', ...upsample };
  return undefined;
}

/**
 * A call's seed layers, kept with the call and the report they were made from: a model an edit did not touch keeps
 * its calls and reports (the analyzer's reuse), so the seed's items stay the same objects after an edit (and the
 * view's change since the last one compares them by identity, viewDelta.ts).
 */
const DENSE_SEEDS = new WeakMap<CallSite, { readonly weight: InitReport; readonly layer: SimulationDenseLayerInit }>();
const CONV_SEEDS = new WeakMap<CallSite, { readonly reader: AxisReader; readonly layer: SimulationConvLayerInit | undefined }>();

function convSeed(call: CallSite, reader: AxisReader): SimulationConvLayerInit | undefined {
  const kept = CONV_SEEDS.get(call);
  if (kept?.reader === reader) return kept.layer;
  const layer = simulationLayer(reader);
  const named = layer && { ...layer, name: `${call.path} ${call.type}` };
  CONV_SEEDS.set(call, { reader, layer: named });
  return named;
}

function denseSeed(call: CallSite, weight: InitReport & { readonly fanIn: number; readonly fanOut: number }): SimulationDenseLayerInit {
  const kept = DENSE_SEEDS.get(call);
  if (kept?.weight === weight) return kept.layer;
  const activation = activationAfter(call) ?? 'linear';
  const layer = { fan_in: weight.fanIn, fan_out: weight.fanOut, init: weight.init as SimulationDenseLayerInit['init'], activation };
  DENSE_SEEDS.set(call, { weight, layer });
  return layer;
}

/** The model's dense layers in execution order, each with the activation that follows it. */
export function modelLayerSeed(analysis: EditorAnalysis): SimulationInit {
  const calls = analysis.calls;
  const byPath = new Map<string, ModuleReport>();
  for (const m of analysis.modules) byPath.set(m.report.path, m.report);
  const layers: SimulationDenseLayerInit[] = [];
  const convLayers: SimulationConvLayerInit[] = [];
  const seen = new Set<string>();
  for (const call of calls) {
    const report = byPath.get(call.path);
    const reader = report?.readers?.[0];
    const layer = reader && !seen.has(call.path) ? convSeed(call, reader) : undefined;
    if (layer) {
      seen.add(call.path);
      convLayers.push(layer);
    }
    if (!isChainedDense(call.type)) continue;
    const weight = report?.inits.find((p) => p.name === 'weight');
    if (!weight?.fanIn || !weight.fanOut) continue;
    layers.push(denseSeed(call, weight as InitReport & { readonly fanIn: number; readonly fanOut: number }));
  }
  const input = calls[0]?.input[0];
  const inputSize = Array.isArray(input) && typeof input[input.length - 1] === 'number' ? (input[input.length - 1] as number) : undefined;
  return { ...(layers.length ? { layers } : {}), ...(convLayers.length ? { convLayers } : {}), ...(inputSize ? { inputSize } : {}) };
}
