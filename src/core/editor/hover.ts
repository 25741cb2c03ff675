// Hover content for a position in a Python document, from the editor analysis: a layer constructor or
// call shows its shapes, params breakdown, MACs, receptive field and init; text is Markdown with our
// own command links only (the adapter trusts exactly those commands).
import { receptiveFieldText } from '../analysis/summary';
import type { InitReport, JsonShape, ModuleReport } from '../index';
import { numberArith, textArith } from '../formulas/arith';
import { convOutputSize, convTransposeOutputSize } from '../formulas/conv';
import { prefillForLayer } from '../calculators/layers';
import type { Range } from '../values';
import { containsPosition, rangeKey, rangeSize } from '../ranges';
import type { CallSite, ContainerSite, EditorAnalysis, ModuleSite, OpSite } from './documentAnalysis';
import type { AssumedReport, ValueShape } from '../analysis/trace';
import { formatShape, formatValue, runs, unknownReasons } from './format';
import { assumedText } from './hints';
import { describeGain, varianceChains, type LayerGain } from './varianceChain';
import { opShapeRule, type ShapeText } from '../frameworks/torch/ops/shapeRules';
import { pushTo } from '../groups';
import { layerGrid, lookupLayer } from '../frameworks/torch/index';

export interface HoverContent {
  readonly markdown: string;
  readonly range: Range;
}

/** Commands a hover may link to; the adapter enables exactly these in the Markdown it renders. */
export const HOVER_COMMANDS = ['mlNotes.openDerivation', 'mlNotes.calculator', 'mlNotes.openSimulation', 'mlNotes.showSummary'] as const;

/** Escapes Markdown so names and messages from the user's code cannot inject links or formatting. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}

const code = (text: string): string => `\`${text.replace(/`/g, "'")}\``;

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** 11.7 M, 1.82 G: the compact form CodeLens and hovers use next to exact counts. */
export function formatCompact(n: number): string {
  const units: [number, string][] = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'K']];
  for (const [scale, unit] of units) if (Math.abs(n) >= scale) return `${(n / scale).toFixed(n / scale >= 100 ? 0 : n / scale >= 10 ? 1 : 2)} ${unit}`;
  return String(n);
}

function formatMacs(macs: number | string | null): string {
  if (macs === null) return '—';
  return typeof macs === 'number' ? `${formatCount(macs)} (${formatCompact(macs)})` : code(macs);
}

/** Which notes topic explains a layer type (for the "Open derivation" link): its catalogue entry's topic. */
export function topicForLayer(type: string): string | undefined {
  return lookupLayer(type)?.topic;
}

function commandLink(label: string, command: (typeof HOVER_COMMANDS)[number], args: unknown): string {
  return `[${label}](command:${command}?${encodeURIComponent(JSON.stringify(args))})`;
}

function paramsLine(inits: readonly InitReport[], total: number): string {
  const parts = inits.filter((p) => p.shape).map((p) => `${escapeMarkdown(p.name)} ${code(formatShape(p.shape!))}`);
  return `**Params** ${formatCount(total)}${parts.length ? ` = ${parts.join(' + ')}` : ''}`;
}

function describeInit(p: InitReport): string {
  // A constant init has no spread: say what every entry is, not Var = 0.
  if (p.init.kind === 'constant') {
    const how = p.source === 'override' ? code(p.overriddenBy?.fn ?? 'nn.init') : 'PyTorch default';
    return `${escapeMarkdown(p.name)}: ${how} · ${p.init.value === 0 ? 'initialised to zero' : `every entry ${p.init.value}`}`;
  }
  const how = p.source === 'override' ? code(p.overriddenBy?.fn ?? 'nn.init') : 'PyTorch default';
  const spec = p.init;
  const detail =
    spec.kind === 'kaiming_uniform' ? `kaiming_uniform(a=${spec.a === Math.sqrt(5) ? '√5' : spec.a.toPrecision(3)}, ${spec.mode})`
      : spec.kind === 'normal' ? `normal(${spec.mean}, ${spec.std.toPrecision(3)})`
      : spec.kind === 'uniform' ? `uniform(${spec.low.toPrecision(3)}, ${spec.high.toPrecision(3)})`
      : spec.kind === 'unknown' ? `unknown (${escapeMarkdown(spec.reason)})`
      : `${spec.kind}(gain=${spec.gain.toPrecision(3)})`;
  const fans = p.fanIn !== undefined ? ` · fan_in ${p.fanIn}, fan_out ${p.fanOut}` : '';
  const variance = p.variance !== undefined ? ` · Var(${p.name === 'bias' ? 'b' : 'W'}) = ${p.variance.toExponential(2)}` : '';
  const target = p.fanIn ? ` (He 2/fan_in = ${(2 / p.fanIn).toExponential(2)}, Xavier 2/(fan_in+fan_out) = ${(2 / (p.fanIn + (p.fanOut ?? 0))).toExponential(2)})` : '';
  return `${escapeMarkdown(p.name)}: ${how} ${code(detail)}${fans}${variance}${p.name === 'weight' ? target : ''}`;
}

function shapesBlock(calls: readonly CallSite[]): string[] {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const c of calls) {
    const text = `${c.input.map(formatShape).join(', ')} → ${formatShape(c.output)}`;
    if (seen.has(text)) continue;
    seen.add(text);
    lines.push(code(text));
  }
  return lines.length > 6 ? [...lines.slice(0, 6), `… and ${lines.length - 6} more`] : lines;
}

/**
 * The receptive-field line, for layers that have one: conv/pool layers, and the pointwise layers that
 * follow one on the input grid (BatchNorm2d, ReLU after a conv). Token-wise layers never show it.
 */
function receptiveFieldLine(call: CallSite | undefined, spatial: boolean): string | undefined {
  const rf = call?.rf;
  // Token-wise layers (the catalogue's `grid: 'tokens'`): a receptive field on the input grid means nothing for them.
  if (!rf || !call || !spatial || layerGrid(call.type) === 'tokens') return undefined;
  const text = receptiveFieldText(rf);
  return `**Receptive field** ${text.size} · jump ${text.jump} · start ${text.start}${rf.exact ? '' : ' (inexact: branches with different layouts met)'}`;
}

const AXIS_NAMES: Readonly<Record<number, readonly string[]>> = { 1: ['L'], 2: ['H', 'W'], 3: ['D', 'H', 'W'] };

/**
 * The output-size formula of a conv/pool layer with this call's numbers, one line per spatial axis
 * (`H_out = ⌊(224 + 2·3 − 1·(7 − 1) − 1)/2⌋ + 1 = 112`), from the same formula functions the
 * interpreter and the calculators use: strided windows (conv, pooling) and transposed windows
 * (ConvTranspose, MaxUnpool: `(L − 1)·S − 2P + D·(K − 1) + output_padding + 1`).
 */
export function sizeFormulaLines(report: Pick<ModuleReport, 'geometry' | 'readers' | 'args'>, call: CallSite | undefined): string[] {
  const input = call?.input[0];
  const output = call?.output;
  if (!input || !Array.isArray(input) || !Array.isArray(output)) return [];
  const g = report.geometry;
  if (!g) return transposedFormulaLines(report, input, output);
  const axes = g.kernel.length;
  const names = AXIS_NAMES[axes] ?? g.kernel.map((_, i) => `L${i}`);
  return g.kernel.flatMap((kernel, i) => {
    const size = input[input.length - axes + i];
    const result = output[output.length - axes + i];
    if (typeof size !== 'number' || typeof result !== 'number') return [];
    const axis = { size: String(size), kernel: String(kernel), stride: String(g.stride[i]), padding: String(g.padding[i]), dilation: String(g.dilation[i]) };
    const text = convOutputSize(textArith, axis);
    // Only the pooling layers take ceil_mode.
    const ceil = report.args?.ceil_mode === 'True' ? ' (ceil_mode: rounded up, last window must start inside the input)' : '';
    return [`${names[i]}_out = ${text} = ${result}${ceil}`];
  });
}

/** `output_padding=1` or `(1, 0)` as one number per axis (0 when absent); undefined when it is not plain numbers. */
function outputPaddingOf(text: string | undefined, axes: number): number[] | undefined {
  if (text === undefined) return new Array<number>(axes).fill(0);
  const numbers = text.match(/\d+/g)?.map(Number) ?? [];
  if (numbers.length === 1) return new Array<number>(axes).fill(numbers[0] ?? 0);
  return numbers.length === axes ? numbers : undefined;
}

/**
 * The transposed layers' formula, shown only where it gives the size the call produced (a forward given
 * `output_size=` picks another size within the stride, and then the formula is not what decided it).
 */
function transposedFormulaLines(report: Pick<ModuleReport, 'readers' | 'args'>, input: readonly unknown[], output: readonly unknown[]): string[] {
  const readers = report.readers ?? [];
  const transposed = readers.flatMap((r) => (r.kind === 'transposed' ? [r] : []));
  if (transposed.length === 0 || transposed.length !== readers.length) return [];
  const axes = transposed.length;
  const names = AXIS_NAMES[axes] ?? transposed.map((_, i) => `L${i}`);
  const outputPadding = outputPaddingOf(report.args?.output_padding, axes);
  if (!outputPadding) return [];
  return transposed.flatMap((r, i) => {
    const size = input[input.length - axes + i];
    const result = output[output.length - axes + i];
    const extra = outputPadding[i] ?? 0;
    if (typeof size !== 'number' || typeof result !== 'number') return [];
    const axis = { kernel: r.kernel, stride: r.stride, padding: r.padding, dilation: r.dilation, outputPadding: extra };
    if (convTransposeOutputSize(numberArith, { ...axis, size }) !== result) return [];
    const text = convTransposeOutputSize(textArith, { size: String(size), kernel: String(r.kernel), stride: String(r.stride), padding: String(r.padding), dilation: String(r.dilation), outputPadding: String(extra) });
    return [`${names[i]}_out = ${text} = ${result}`];
  });
}

/** Lines about what is not known or assumed in a call's output: `?` has its reason, past an error the error's line. */
function caveatLines(items: readonly { readonly outputUnknown?: string; readonly assumed?: AssumedReport; readonly error?: string }[]): string[] {
  const out: string[] = [];
  const errors = [...new Set(items.flatMap((c) => (c.error ? [c.error] : [])))];
  out.push(...errors.map((e) => `⚠ ${escapeMarkdown(e)}`));
  const assumed = items.find((c) => c.assumed && !c.error)?.assumed ?? items.find((c) => c.assumed)?.assumed;
  if (assumed) out.push(`_Output ${escapeMarkdown(assumedText(assumed))}_`);
  const reasons = [...new Set(items.flatMap((c) => (c.outputUnknown ? [c.outputUnknown] : [])))];
  if (reasons.length) out.push(`\`?\` = unknown: ${escapeMarkdown(reasons.slice(0, 2).join('; '))}`);
  return out;
}

function moduleHover(site: { type: string; path: string; params: number; inits: readonly InitReport[]; calls: readonly CallSite[]; model: string; report?: ModuleReport; gain?: LayerGain; spatial: boolean }): string {
  const first = site.calls[0];
  const lines = [`**${escapeMarkdown(site.type)}** ${code(site.path || '(model)')} · in ${code(site.model)}`];
  const links = moduleLinks(site, first);
  if (links) lines.push(links);
  lines.push('');
  if (site.calls.length === 0) lines.push('_Not called when the model runs._', '');
  else lines.push(...shapesBlock(site.calls).map((l) => `${l}  `), '');
  const formula = site.report ? sizeFormulaLines(site.report, first) : [];
  if (formula.length) lines.push(...formula.map((f) => `${code(f)}  `), '');
  lines.push(paramsLine(site.inits, site.params) + '  ');
  if (first) lines.push(`**MACs** ${formatMacs(first.macs)}${site.calls.length > 1 ? ` per call (${site.calls.length} calls)` : ''}  `);
  const rf = receptiveFieldLine(first, site.spatial);
  if (rf) lines.push(rf + '  ');
  const inits = site.inits.filter((p) => p.init.kind !== 'unknown' || p.source === 'override');
  if (inits.length) lines.push('', '**Init**', ...inits.map((p) => `- ${describeInit(p)}`));
  if (site.gain) lines.push(`- forward variance gain ${code(describeGain(site.gain))}`);
  const caveats = caveatLines(site.calls);
  if (caveats.length) lines.push('', ...caveats.map((c) => `${c}  `));
  return lines.join('\n');
}

/** The links of a layer's hover (derivation, calculator, simulation), shown right under its title. */
function moduleLinks(site: { type: string; path: string; report?: ModuleReport; gain?: LayerGain }, first: CallSite | undefined): string | undefined {
  const links: string[] = [];
  const topic = topicForLayer(site.type);
  const g = site.report?.geometry;
  const input = first?.input[0];
  const size = Array.isArray(input) && g ? input[input.length - g.kernel.length] : undefined;
  // The conv-output-size derivation takes the first spatial axis's numbers (L, K, S, P, D).
  const values = topic === 'conv-output-size' && g && typeof size === 'number' ? { L: size, K: g.kernel[0]!, S: g.stride[0]!, P: g.padding[0]!, D: g.dilation[0]! } : undefined;
  if (topic) links.push(commandLink('Open derivation', 'mlNotes.openDerivation', values ? [topic, values, `${site.path} ${site.type}`] : [topic]));
  const prefill = prefillForLayer(site.type, { ...(site.report?.args ?? {}), ...(typeof size === 'number' ? { in: String(size) } : {}) })[0];
  if (prefill) links.push(commandLink('Open in calculator', 'mlNotes.calculator', [{ id: prefill.id, inputs: prefill.inputs }]));
  if (site.gain) links.push(commandLink('Simulate variance through depth', 'mlNotes.openSimulation', [{ simulation: 'activation-variance' }]));
  else if (site.report?.geometry) links.push(commandLink('Show receptive field', 'mlNotes.openSimulation', [{ simulation: 'receptive-field' }]));
  return links.length ? links.join(' · ') : undefined;
}

/** The in → out shapes of a group of calls at one site, counted when the site runs several times. */
function callShapes(calls: readonly { readonly input: readonly JsonShape[]; readonly output: JsonShape }[]): string[] {
  const texts = calls.map((c) => `${c.input.map(formatShape).join(', ')} → ${formatShape(c.output)}`);
  const lines = runs(texts).map(([t, n]) => `${code(t)}${n > 1 ? ` ×${n}` : ''}`);
  return lines.length > 6 ? [...lines.slice(0, 6), `… and ${lines.length - 6} more`] : lines;
}

function summaryLink(analysis: Pick<EditorAnalysis, 'path' | 'models'>, model: string, path: string): string | undefined {
  const owner = analysis.models.find((m) => m.expression === model);
  return owner ? commandLink('Show in summary', 'mlNotes.showSummary', [analysis.path, owner.className, path]) : undefined;
}

/** A call of a module with children (`self.layer2(x)`, `block(x)`): in → out, params, MACs, children, a summary link. */
function containerHover(group: readonly ContainerSite[], analysis: Pick<EditorAnalysis, 'path' | 'models'>): string {
  const first = group[0]!;
  const paths = [...new Set(group.map((c) => c.path))];
  const shownPath = paths.length === 1 ? first.path : `${paths[0]} … ${paths[paths.length - 1]} (${paths.length} modules)`;
  const lines = [`**${escapeMarkdown(first.type)}** ${code(shownPath)} · ${first.children} ${first.children === 1 ? 'child' : 'children'} · in ${code(first.model)}`];
  const link = summaryLink(analysis, first.model, first.path);
  if (link) lines.push(link);
  lines.push('', ...callShapes(group).map((l) => `${l}  `), '');
  const params = [...new Set(group.map((c) => c.params))];
  lines.push(`**Params** ${params.map(formatCount).join(' / ')} (with its children)  `);
  const macs = [...new Set(group.map((c) => (c.macs === null ? '—' : typeof c.macs === 'number' ? formatCount(c.macs) : c.macs)))];
  lines.push(`**MACs** ${macs.length === 1 ? formatMacs(first.macs) : macs.map((m) => code(m)).join(' / ')}${group.length > 1 ? ` per call (${group.length} calls)` : ''}  `);
  const caveats = caveatLines(group);
  if (caveats.length) lines.push('', ...caveats.map((c) => `${c}  `));
  return lines.join('\n');
}

/** `F.softmax` for torch.nn.functional.softmax, `x.view` for Tensor.view, `+` for Tensor.__add__. */
const OPERATORS: Readonly<Record<string, string>> = { add: '+', sub: '−', mul: '*', truediv: '/', floordiv: '//', matmul: '@', mod: '%', pow: '**', eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=', and: '&', or: '|', xor: '^' };

function opTitle(name: string): string {
  const dunder = /^Tensor\.__[ri]?(\w+?)__$/.exec(name);
  if (dunder) return `${OPERATORS[dunder[1]!] ?? dunder[1]} (Tensor.__${dunder[1]}__)`;
  if (name.startsWith('torch.nn.functional.')) return `F.${name.slice('torch.nn.functional.'.length)}`;
  if (name.startsWith('Tensor.')) return `.${name.slice('Tensor.'.length)}()`;
  return name;
}

function tensorShape(v: ValueShape): ShapeText | undefined {
  return v.kind === 'tensor' && v.shape ? v.shape : undefined;
}

/** Positional non-tensor arguments as text: `1`, `(0, 2, 1)`. */
function scalarArgs(inputs: readonly ValueShape[]): string[] {
  return inputs.flatMap((v) => (v.kind === 'scalar' ? [v.text] : v.kind === 'tuple' && v.items.every((i) => i.kind === 'scalar') ? v.items.map((i) => (i as { text: string }).text) : []));
}

/** A functional op or tensor method: in → out with this call's shapes, its shape rule with these numbers. */
function opHover(group: readonly OpSite[]): string {
  const first = group[0]!;
  const args = Object.entries(first.keywords).map(([k, v]) => `${k}=${v}`);
  const lines = [`**${escapeMarkdown(opTitle(first.name))}**${args.length ? ` ${code(args.join(', '))}` : ''} · ${code(first.name)}`, ''];
  const texts = group.map((o) => `${o.inputs.filter((v) => v.kind === 'tensor' || v.kind === 'unknown' || (v.kind === 'tuple' && v.items.some((i) => i.kind === 'tensor'))).map(formatValue).join(', ')} → ${formatValue(o.output)}`);
  const shapes = runs(texts).map(([t, n]) => `${code(t)}${n > 1 ? ` ×${n}` : ''}  `);
  lines.push(...(shapes.length > 6 ? [...shapes.slice(0, 6), `… and ${shapes.length - 6} more`] : shapes));
  const output = first.output.kind === 'tuple' || first.output.kind === 'list' ? first.output.items.map(tensorShape).filter((s): s is ShapeText => s !== undefined) : tensorShape(first.output);
  const tensors = first.inputs.flatMap((v) => (v.kind === 'tuple' || v.kind === 'list' ? v.items.map(tensorShape) : v.kind === 'tensor' ? [tensorShape(v)] : []));
  const rule = opShapeRule(first.name, { inputs: tensors, scalars: scalarArgs(first.inputs), keywords: first.keywords, output });
  if (rule) lines.push('', `**Shape rule** ${escapeMarkdown(rule)}`);
  const reasons = [...new Set(group.flatMap((o) => unknownReasons(o.output)))];
  const caveats = caveatLines(group.map((o) => ({ ...(o.error ? { error: o.error } : {}), ...(o.assumed ? { assumed: o.assumed } : {}), ...(reasons.length ? { outputUnknown: reasons[0]! } : {}) })));
  if (caveats.length) lines.push('', ...caveats.map((c) => `${c}  `));
  return lines.join('\n');
}

/** The identifier under the cursor in a line of text, with its character range. */
function wordAt(lineText: string, character: number): { word: string; start: number; end: number } | undefined {
  const re = /[A-Za-z_][A-Za-z0-9_]*/g;
  for (let m = re.exec(lineText); m; m = re.exec(lineText)) {
    if (character >= m.index && character <= m.index + m[0].length) return { word: m[0], start: m.index, end: m.index + m[0].length };
  }
  return undefined;
}

/**
 * A tensor variable's shape at a use or assignment in forward code: the last assignment to that name
 * at or above the line, in the same function (`lineText` is the position's line). The view carries the
 * variables, so the host answers this itself.
 */
export function variableHover(variables: EditorAnalysis['variables'], position: { line: number; character: number }, lineText: string): HoverContent | undefined {
  const word = wordAt(lineText, position.character);
  if (!word || lineText.slice(0, word.start).trimEnd().endsWith('.')) return undefined;
  // On an assignment line, a name left of `=` is the new value; a name right of it is the previous one.
  const equals = lineText.search(/[^=!<>]=[^=]/);
  const isTarget = equals >= 0 && word.start <= equals;
  const candidates = variables.filter(
    (v) => v.name === word.word && containsPosition(v.scope, position) && (v.statement.start.line < position.line || (v.statement.start.line === position.line && isTarget)),
  );
  const site = candidates.sort((a, b) => b.statement.start.line - a.statement.start.line)[0];
  if (!site) return undefined;
  const lines = [`${code(site.name)}: ${site.shapes.map((s) => code(s)).join(' · ')}`];
  if (site.shapes.length > 1) lines.push('', `_The line runs ${site.shapes.length} times with different shapes._`);
  if (site.statement.start.line !== position.line) lines.push('', `_Assigned on line ${site.statement.start.line + 1}._`);
  return {
    markdown: lines.join('\n'),
    range: { start: { line: position.line, character: word.start }, end: { line: position.line, character: word.end } },
  };
}

/**
 * The hover at a position: a tensor variable under the cursor (`lineText` is the position's line), else the
 * innermost layer call, container call, op or layer construction that contains it.
 */
export function hoverAt(analysis: HoverAnalysis, position: { line: number; character: number }, lineText?: string): HoverContent | undefined {
  return (lineText === undefined ? undefined : variableHover(analysis.variables, position, lineText)) ?? new DocumentHovers(analysis).at(position);
}

/** A range of the document and the hover it shows: one per layer call site and per layer construction. */
export interface HoverSite {
  readonly range: Range;
  readonly markdown: string;
}

/** A hover site found and not rendered yet: rendering waits until it is the one asked for. */
export interface HoverCandidate {
  readonly range: Range;
  readonly render: () => string;
}

/** What a document's hovers are rendered from: the analysis the worker keeps after posting its view. */
export type HoverAnalysis = Pick<EditorAnalysis, 'path' | 'models' | 'calls' | 'containerCalls' | 'ops' | 'modules' | 'layerWeights' | 'layerBiases' | 'variables'>;

/**
 * The hovers of one analysis, rendered on request: the worker keeps one per document view it posted and
 * answers the host's hover request from it, so no Markdown is made or copied for hovers nobody opens. What
 * several hovers read (module reports by path, variance gains, the calls on the input grid) is derived once,
 * at the first request.
 */
export class DocumentHovers {
  private derived: { readonly reports: ReadonlyMap<string, ModuleReport>; readonly gains: ReadonlyMap<string, LayerGain>; readonly spatial: ReadonlySet<CallSite> } | undefined;

  constructor(readonly analysis: HoverAnalysis) {}

  /** The innermost site containing the position (the first of the smallest), among sites whose range `keep` accepts. */
  innermost(position: { line: number; character: number }, keep: (range: Range) => boolean = () => true): HoverCandidate | undefined {
    let best: HoverCandidate | undefined;
    for (const site of this.candidates((range) => containsPosition(range, position) && keep(range))) if (!best || rangeSize(site.range) < rangeSize(best.range)) best = site;
    return best;
  }

  /** The hover of the innermost site containing the position. */
  at(position: { line: number; character: number }): HoverContent | undefined {
    const site = this.innermost(position);
    return site && { range: site.range, markdown: site.render() };
  }

  /** Every hover site of the document, rendered (tests and tools that need them all). */
  all(): HoverSite[] {
    return [...this.candidates(() => true)].map((site) => ({ range: site.range, markdown: site.render() }));
  }

  /**
   * The sites whose range `accept` takes, in a fixed order (layer calls, container calls, ops, constructions; each
   * in the analysis's order): calls at one site (a block's `self.conv1(x)` runs once per block) share one hover.
   */
  private *candidates(accept: (range: Range) => boolean): Generator<HoverCandidate> {
    const analysis = this.analysis;
    const byCallSite = groupByRange(analysis.calls.filter((c) => !c.viaContainer && accept(c.callRange)), (c) => c.callRange);
    for (const group of byCallSite) {
      const call = group[0]!;
      yield {
        range: call.callRange,
        render: () => {
          const { reports, gains, spatial } = this.derive();
          const report = reports.get(call.path);
          const gain = gains.get(call.path);
          return moduleHover({ type: call.type, path: call.path, params: call.params, inits: report?.inits ?? [], calls: group, model: call.model, spatial: spatial.has(call), ...(report ? { report } : {}), ...(gain ? { gain } : {}) });
        },
      };
    }
    for (const group of groupByRange(analysis.containerCalls.filter((c) => accept(c.callRange)), (c) => c.callRange)) yield { range: group[0]!.callRange, render: () => containerHover(group, analysis) };
    for (const group of groupByRange(analysis.ops.filter((o) => accept(o.callRange)), (o) => o.callRange)) yield { range: group[0]!.callRange, render: () => opHover(group) };
    for (const m of analysis.modules) {
      if (!accept(m.range)) continue;
      yield {
        range: m.range,
        render: () => {
          const { gains, spatial } = this.derive();
          const gain = gains.get(m.report.path);
          return moduleHover({ ...moduleSiteView(m), spatial: m.calls.some((c) => spatial.has(c)), ...(gain ? { gain } : {}) });
        },
      };
    }
  }

  private derive(): NonNullable<DocumentHovers['derived']> {
    this.derived ??= {
      reports: new Map(this.analysis.modules.map((m) => [m.report.path, m.report] as const)),
      gains: new Map(varianceChains(this.analysis).flatMap((c) => c.layers.map((l) => [l.path, l] as const))),
      spatial: spatialCalls(this.analysis.calls),
    };
    return this.derived;
  }
}

/** Every hover of a document, rendered (the editor renders one at a time, on request: DocumentHovers). */
export function hoverSites(analysis: HoverAnalysis): HoverSite[] {
  return new DocumentHovers(analysis).all();
}

function groupByRange<T>(items: readonly T[], rangeOf: (item: T) => Range): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) pushTo(groups, rangeKey(rangeOf(item)), item);
  return [...groups.values()];
}

/** The calls that run on the input grid: a conv/pool layer's and those after one in the same model. */
function spatialCalls(calls: readonly CallSite[]): Set<CallSite> {
  const out = new Set<CallSite>();
  const seenGridLayer = new Set<string>();
  for (const c of calls) {
    if (layerGrid(c.type) === 'windows') seenGridLayer.add(c.model);
    if (seenGridLayer.has(c.model)) out.add(c);
  }
  return out;
}

function moduleSiteView(m: ModuleSite): { type: string; path: string; params: number; inits: readonly InitReport[]; calls: readonly CallSite[]; model: string; report: ModuleReport } {
  return { type: m.report.type, path: m.report.path, params: m.report.params, inits: m.report.inits, calls: m.calls, model: m.model, report: m.report };
}
