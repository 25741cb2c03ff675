// Shape facts from the core's analysis for the checks that need sizes (CC-40, CC-42): the known input of
// a model class and its summary (summarizeModel), computed at most once per class and file.
import type { Expr } from '../python/ast';
import { summarizeModel } from '../analysis/summary';
import type { ModelSummary } from '../analysis/summary';
import type { ModuleClassInfo } from './models';
import { sequentialItems, torchClassOfCall } from './models';
import { calledName, dottedName, isCall, positionalArgs, statementCalls, walkBodyExprs } from '../python/syntax';
import { locatedCalls, scopesOf } from './training';
import type { RuleContext } from './types';

const ANALYSIS_BUDGET = { steps: 200_000, ms: 500 };
const INPUT_COMMENT = /#\s*ml-notes:\s*input\s*=\s*\[([\d\s,]+)\]/;
/** The tensor factories a sample input is made with, by their own names; `torch.` may qualify them. */
const FACTORY_NAMES: ReadonlySet<string> = new Set(['randn', 'rand', 'zeros', 'ones', 'empty']);
const TENSOR_FACTORIES = new RegExp(`^(torch\\.)?(${[...FACTORY_NAMES].join('|')})$`);

/** True when a class both flattens (nn.Flatten, torch.flatten, .view/.reshape/.flatten) and has a Linear. */
export function flattensIntoLinear(info: ModuleClassInfo): boolean {
  let linear = false;
  let flatten = false;
  const see = (e: Expr): void => {
    const layer = torchClassOfCall(e);
    if (layer === 'Linear') linear = true;
    else if (layer === 'Flatten') flatten = true;
  };
  for (const value of info.attributes.values()) {
    see(value);
    for (const item of sequentialItems(value)) see(item);
  }
  if (!linear) return false;
  if (flatten) return true;
  let flattens = false;
  if (info.forward)
    walkBodyExprs(info.forward.body, (e) => {
      if (isCall(e) && /^(flatten|view|reshape)$/.test(calledName(e) ?? '')) flattens = true;
    });
  return flattens;
}

/** Constant integer dims of `torch.randn(1, 3, 32, 32)` (or a tuple argument). */
function constantDims(call: Expr): number[] | undefined {
  if (!isCall(call) || !TENSOR_FACTORIES.test(dottedName(call.fn) ?? '')) return undefined;
  const args = positionalArgs(call);
  const items = args.length === 1 && (args[0]!.k === 'tuple' || args[0]!.k === 'list') ? args[0]!.items : args;
  const dims = items.map((i) => (i.k === 'num' && i.isInt ? i.value : undefined));
  return dims.length > 0 && dims.every((d) => d !== undefined) ? (dims as number[]) : undefined;
}

/**
 * True when a statement of the module calls a tensor factory with constant dims. A sample call's input resolves
 * (through local and module-level names and `self.x`) to an expression of the module's own statements, and each
 * statement's calls at any depth are kept with it (statementCalls: the drive and the editor's index walked them
 * already): without such a call no input is known, and the scopes need not be built nor every call walked.
 */
function callsConstantFactory(module: RuleContext['module']): boolean {
  return module.body.some((statement) =>
    statementCalls(statement).some((call) => {
      const own = calledName(call);
      return own !== undefined && FACTORY_NAMES.has(own) && constantDims(call) !== undefined;
    }),
  );
}

/** Calls of a class's instance on a constant tensor, by the class name, first call first (one walk per file). */
const sampleCallMemo = new WeakMap<RuleContext, Map<string, { model: string; dims: number[] }>>();

function sampleCalls(context: RuleContext): Map<string, { model: string; dims: number[] }> {
  const cached = sampleCallMemo.get(context);
  if (cached) return cached;
  const byClass = new Map<string, { model: string; dims: number[] }>();
  if (callsConstantFactory(context.module))
    for (const scope of scopesOf(context)) {
      for (const { call } of locatedCalls(scope.body)) {
        const input = positionalArgs(call)[0];
        const dims = input ? constantDims(scope.resolve(input)) : undefined;
        if (!dims || call.args.length !== 1) continue;
        const ctor = scope.resolve(call.fn);
        if (!isCall(ctor)) continue;
        const name = dottedName(ctor.fn);
        // Only constructor arguments that are literals can be re-evaluated out of context.
        if (!name || byClass.has(name) || !ctor.args.every((a) => a.value.k === 'num' || a.value.k === 'str' || a.value.k === 'const')) continue;
        byClass.set(name, { model: context.source.textOf(ctor.r), dims });
      }
    }
  sampleCallMemo.set(context, byClass);
  return byClass;
}

/** The known input of a class: its `# ml-notes: input=[...]` comment, or a call of an instance on a constant tensor. */
export function knownInput(context: RuleContext, info: ModuleClassInfo): { model: string; dims: number[] } | undefined {
  for (let line = Math.max(0, info.cls.r.start.line - 1); line <= info.cls.r.end.line; line++) {
    const match = INPUT_COMMENT.exec(context.source.lineText(line));
    if (match) {
      const dims = match[1]!.split(',').map((s) => Number(s.trim())).filter((n) => Number.isInteger(n) && n > 0);
      return dims.length > 0 ? { model: `${info.cls.name}()`, dims } : undefined;
    }
  }
  return sampleCalls(context).get(info.cls.name);
}

export interface ShapedModel {
  readonly input: { readonly model: string; readonly dims: number[] };
  readonly summary: ModelSummary;
}

// Summaries are derived from an immutable context; the memo lets several rules share one analysis run.
const summaryMemo = new WeakMap<RuleContext, Map<ModuleClassInfo, ShapedModel | undefined>>();

/** The summary of a class that flattens into a Linear, run on its known input; undefined when the input is unknown. */
export function shapedModel(context: RuleContext, info: ModuleClassInfo): ShapedModel | undefined {
  let perClass = summaryMemo.get(context);
  if (!perClass) {
    perClass = new Map();
    summaryMemo.set(context, perClass);
  }
  if (perClass.has(info)) return perClass.get(info);
  let result: ShapedModel | undefined;
  const input = flattensIntoLinear(info) ? knownInput(context, info) : undefined;
  if (input) {
    const request = { model: input.model, inputs: [input.dims.join(',')], budget: ANALYSIS_BUDGET, ...(context.readFile ? { readFile: context.readFile } : {}) };
    const summary = context.summarize ? context.summarize(request) : summarizeModel({ ...request, path: context.path, text: context.source.text, module: context.module, ...(context.parseImport ? { parse: context.parseImport } : {}) });
    if (!('error' in summary)) result = { input, summary };
  }
  perClass.set(info, result);
  return result;
}
