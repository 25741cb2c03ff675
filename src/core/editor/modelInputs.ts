// Where a model class's input shape and constructor come from, in the order the editor honours them:
// a `# ml-notes: input=[1,3,224,224]` comment above the class, the shape the user set (workspace
// state), a `model(torch.randn(...))` call in the same file, jaxtyping/torchtyping annotations on its
// forward (their names become the symbolic dims), else symbolic dims chosen by the core.
import type { ClassDef, Expr, Module, Stmt } from '../python/ast';
import { allCalls, type CallExpr } from '../python/syntax';
import { statementIndex } from './statementIndex';
import { annotationInput, type ForwardAnnotations } from './annotationChecks';
import { bracketGroups, withoutBracketGroups } from '../brackets';
import { pushTo } from '../groups';

export type InputSource = 'comment' | 'user' | 'call' | 'annotation' | 'symbolic';

export interface ModelInput {
  /** One shape per forward argument, as the CLI takes them: '1,3,224,224' or 'B,3,H,W'. */
  readonly shapes: readonly string[];
  readonly dtype: 'float' | 'long';
  readonly source: InputSource;
}

/** What the user chose through the CodeLens, per class name. */
export interface UserModelSettings {
  readonly input?: { readonly shapes: readonly string[]; readonly dtype: 'float' | 'long' };
  /** A Python expression that builds the model, e.g. `ResNet(BasicBlock, [2, 2, 2, 2])`. */
  readonly expression?: string;
}

const DIRECTIVE = /#\s*ml-notes:\s*input\s*=(.*)$/;

// Every class of a file looks for its sample call and factories in the same module: the walks are kept per
// module, per top-level statement (./statementIndex) and per function, whose AST an edit elsewhere leaves as it was.
const CALLEES = new WeakMap<Extract<Stmt, { k: 'def' }>, ReadonlySet<string>>();
/** The names a function's body calls (`Net(...)`, `make(...)`). */
function calleesOf(node: Extract<Stmt, { k: 'def' }>): ReadonlySet<string> {
  let out = CALLEES.get(node);
  if (!out) CALLEES.set(node, (out = new Set(allCalls(node.body).flatMap((c) => (c.fn.k === 'name' ? [c.fn.id] : [])))));
  return out;
}

/**
 * Parses the value of an input directive: `[1, 3, 224, 224]`, `(B, 3, H, W)`, several shapes
 * separated by commas between brackets, and an optional `long`/`dtype=long` after them.
 */
export function parseInputDirective(value: string): { shapes: string[]; dtype: 'float' | 'long' } | undefined {
  const groups = bracketGroups(value);
  const shapes = groups.map((g) =>
    g.inner
      .split(',')
      .map((d) => d.trim())
      .filter((d) => d.length > 0)
      .join(','),
  );
  if (shapes.length === 0 || shapes.some((s) => s.length === 0 || !/^[\w*/+\-. ,]+$/.test(s))) return undefined;
  const rest = withoutBracketGroups(value, groups);
  const dtype = /\b(long|int64|int)\b/.test(rest) ? 'long' : 'float';
  return { shapes, dtype };
}

/** The directive in the comment block (and decorators) directly above a class, if any. */
export function directiveAbove(lines: readonly string[], classLine: number): { shapes: string[]; dtype: 'float' | 'long' } | undefined {
  for (let line = classLine - 1; line >= 0; line--) {
    const text = lines[line]!.trim();
    if (text.startsWith('@')) continue;
    if (!text.startsWith('#')) return undefined;
    const match = DIRECTIVE.exec(text);
    if (match) return parseInputDirective(match[1]!.trim());
  }
  return undefined;
}

const TENSOR_FACTORIES = new Set(['randn', 'zeros', 'ones', 'rand', 'empty', 'randint']);

/** `torch.randn(1, 3, 224, 224)` / `torch.zeros((2, 64), dtype=torch.long)` → its shape, if literal. */
export function literalTensorShape(expr: Expr): { shape: string; dtype: 'float' | 'long' } | undefined {
  if (expr.k !== 'call' || expr.fn.k !== 'attr' || !TENSOR_FACTORIES.has(expr.fn.name)) return undefined;
  const isRandint = expr.fn.name === 'randint';
  const positional = expr.args.filter((a) => a.kind === 'pos').map((a) => a.value);
  const sizeArg = expr.args.find((a) => a.kind === 'kw' && a.name === 'size')?.value;
  let dims: readonly Expr[];
  if (sizeArg) dims = sizeArg.k === 'tuple' || sizeArg.k === 'list' ? sizeArg.items : [];
  else if (isRandint) {
    const last = positional[positional.length - 1];
    dims = last && (last.k === 'tuple' || last.k === 'list') ? last.items : [];
  } else if (positional.length === 1 && (positional[0]!.k === 'tuple' || positional[0]!.k === 'list')) dims = (positional[0] as { items: readonly Expr[] }).items;
  else dims = positional;
  if (dims.length === 0 || !dims.every((d) => d.k === 'num' && d.isInt && d.value >= 0)) return undefined;
  const dtypeArg = expr.args.find((a) => a.kind === 'kw' && a.name === 'dtype')?.value;
  const long = isRandint || (dtypeArg?.k === 'attr' && /^(long|int64|int32|int)$/.test(dtypeArg.name));
  return { shape: dims.map((d) => String((d as { value: number }).value)).join(','), dtype: long ? 'long' : 'float' };
}

/**
 * A sample input from the file: `Cls(...)(torch.randn(...))`, or `m = Cls(...)` / `m = factory()`
 * followed by `m(torch.randn(...))` in the same block.
 */
export function sampleCallInput(module: Module, className: string, factories: readonly string[]): ModelInput | undefined {
  const index = modelCallIndex(module);
  // The answer depends on the index and the builders only: an index an edit left as it was keeps its answers.
  let answers = SAMPLE_INPUTS.get(index);
  if (!answers) SAMPLE_INPUTS.set(index, (answers = new Map()));
  const key = factories.length === 0 ? className : [className, ...factories].join('\u0000');
  if (answers.has(key)) return answers.get(key);
  const input = sampleCallInputOf(index, className, factories);
  answers.set(key, input);
  return input;
}

/** Each call index's sample inputs by the builders' names (the class's, then its factories'). */
const SAMPLE_INPUTS = new WeakMap<ModelCallIndex, Map<string, ModelInput | undefined>>();

function sampleCallInputOf({ instancesOf, callsOf: calls }: ModelCallIndex, className: string, factories: readonly string[]): ModelInput | undefined {
  const builders = [className, ...factories];
  const instanceNames = builders.flatMap((b) => instancesOf.get(b) ?? []);
  // Calls of an instance (`m(x)`) and of a construction (`Cls()(x)`), in the file's order.
  const lists = [...instanceNames.map((n) => calls.get(`instance ${n}`)), ...builders.map((b) => calls.get(`built ${b}`))].filter((list) => list !== undefined);
  // One list is in the file's order already (usually a single instance name's calls).
  const candidates = lists.length === 1 ? lists[0]! : lists.flat().sort((a, b) => a.order - b.order);
  for (const { call } of candidates) {
    const input = literalCallInput(call);
    if (input) return input;
  }
  return undefined;
}

/** Each call's literal tensor arguments as an input, kept with the call (every class whose instance it may call asks). */
const CALL_INPUTS = new WeakMap<CallExpr, ModelInput | null>();

/** The input a call passes when every positional argument is a literal tensor (`m(torch.randn(1, 3, 32, 32))`). */
function literalCallInput(call: CallExpr): ModelInput | undefined {
  const known = CALL_INPUTS.get(call);
  if (known !== undefined) return known ?? undefined;
  const shapes = call.args.filter((a) => a.kind === 'pos').map((a) => literalTensorShape(a.value));
  const input = shapes.length > 0 && shapes.every((s) => s !== undefined) ? { shapes: shapes.map((s) => s!.shape), dtype: shapes[0]!.dtype, source: 'call' as const } : undefined;
  CALL_INPUTS.set(call, input ?? null);
  return input;
}

/** Per module: names assigned a call of each callee (`m = Net()`), and calls by the instance or constructor they call. */
interface ModelCallIndex {
  readonly instancesOf: ReadonlyMap<string, readonly string[]>;
  readonly callsOf: ReadonlyMap<string, readonly { readonly call: CallExpr; readonly order: number }[]>;
}
const CALL_INDEXES = new WeakMap<Module, ModelCallIndex>();

/** A call of a name (`m(x)`: an instance, if the name holds one) or of a call's result (`Net()(x)`: built by that callee). */
interface NamedCall {
  readonly key: string;
  readonly name: string;
  readonly built: boolean;
  readonly call: CallExpr;
}

/** One top-level statement's part of the index, kept while an edit leaves the statement's object as it was. */
interface StatementCalls {
  readonly instances: readonly (readonly [callee: string, name: string])[];
  readonly calls: readonly NamedCall[];
}
const STATEMENT_CALLS = new WeakMap<Stmt, StatementCalls>();

function statementCalls(top: Stmt): StatementCalls {
  const known = STATEMENT_CALLS.get(top);
  if (known) return known;
  const { statementList, callList } = statementIndex(top);
  const instances: [string, string][] = [];
  for (const s of statementList) {
    if (s.k === 'assign' && s.value?.k === 'call' && s.value.fn.k === 'name') {
      for (const t of s.targets) if (t.k === 'name') instances.push([s.value.fn.id, t.id]);
    }
  }
  const calls: NamedCall[] = [];
  for (const call of callList) {
    const callee = call.fn;
    if (callee.k === 'name') calls.push({ key: `instance ${callee.id}`, name: callee.id, built: false, call });
    else if (callee.k === 'call' && callee.fn.k === 'name') calls.push({ key: `built ${callee.fn.id}`, name: callee.fn.id, built: true, call });
  }
  const part = { instances, calls };
  STATEMENT_CALLS.set(top, part);
  return part;
}

/** Whether a statement's part adds nothing to the index: no instance assigned and no call of a builder or an instance. */
const addsNothing = (part: StatementCalls, instanceNames: ReadonlySet<string>): boolean =>
  part.instances.length === 0 && part.calls.every((c) => !c.built && !instanceNames.has(c.name));

/**
 * The last index made for a module, by its first statement's part (an edit elsewhere keeps that object), with every
 * statement's part and the instance names: a module after such an edit takes the same index when its parts differ
 * only where neither adds anything (a layer size changed inside a class) and count the same calls.
 */
const LAST_INDEX = new WeakMap<StatementCalls, { readonly parts: readonly StatementCalls[]; readonly instanceNames: ReadonlySet<string>; readonly index: ModelCallIndex }>();

function sameIndexParts(last: { readonly parts: readonly StatementCalls[]; readonly instanceNames: ReadonlySet<string> }, parts: readonly StatementCalls[]): boolean {
  if (last.parts.length !== parts.length) return false;
  for (let i = 0; i < parts.length; i++) {
    const before = last.parts[i]!;
    const now = parts[i]!;
    if (before === now) continue;
    if (before.calls.length !== now.calls.length || !addsNothing(before, last.instanceNames) || !addsNothing(now, last.instanceNames)) return false;
  }
  return true;
}

function modelCallIndex(module: Module): ModelCallIndex {
  const cached = CALL_INDEXES.get(module);
  if (cached) return cached;
  const parts = module.body.map(statementCalls);
  const last = parts.length > 0 ? LAST_INDEX.get(parts[0]!) : undefined;
  if (last && sameIndexParts(last, parts)) {
    CALL_INDEXES.set(module, last.index);
    LAST_INDEX.set(parts[0]!, { ...last, parts });
    return last.index;
  }
  const instancesOf = new Map<string, string[]>();
  const instanceNames = new Set<string>();
  for (const part of parts) {
    for (const [callee, name] of part.instances) {
      pushTo(instancesOf, callee, name);
      instanceNames.add(name);
    }
  }
  // sampleCallInput asks only for calls of names assigned a call and of calls' results: the file's other calls of a
  // name (`range(n)`, `len(x)`, `print(...)`) are left out. `order` still counts every call, in the file's order.
  const calls = new Map<string, { call: CallExpr; order: number }[]>();
  let order = 0;
  for (const part of parts) {
    for (const { key, name, built, call } of part.calls) {
      if (built || instanceNames.has(name)) pushTo(calls, key, { call, order });
      order++;
    }
  }
  const index = { instancesOf, callsOf: calls };
  CALL_INDEXES.set(module, index);
  if (parts.length > 0) LAST_INDEX.set(parts[0]!, { parts, instanceNames, index });
  return index;
}

/** Per module: the top-level functions without required parameters, by each name they call. */
const FACTORIES = new WeakMap<Module, ReadonlyMap<string, readonly string[]>>();

/** Top-level functions without required parameters whose body builds `className` (e.g. `resnet18()`). */
export function factoriesOf(module: Module, className: string): string[] {
  let byCallee = FACTORIES.get(module);
  if (!byCallee) FACTORIES.set(module, (byCallee = factoryIndex(module)));
  return [...(byCallee.get(className) ?? [])];
}

/** The last factory index made for a module, by its first statement (an edit elsewhere keeps it), with its functions. */
const LAST_FACTORIES = new WeakMap<Stmt, { readonly functions: readonly Stmt[]; readonly index: ReadonlyMap<string, readonly string[]> }>();

/** The index of a module's factories; the last one again when the module's top-level functions are the same objects. */
function factoryIndex(module: Module): ReadonlyMap<string, readonly string[]> {
  const functions = module.body.filter((s) => s.k === 'def');
  const first = module.body[0];
  const last = first && LAST_FACTORIES.get(first);
  if (last && last.functions.length === functions.length && last.functions.every((f, i) => f === functions[i])) return last.index;
  const index = new Map<string, string[]>();
  for (const f of functions) {
    if (f.k !== 'def' || !f.params.every((p) => p.default !== undefined || p.kind === 'star' || p.kind === 'dstar')) continue;
    for (const callee of calleesOf(f)) pushTo(index, callee, f.name);
  }
  if (first) LAST_FACTORIES.set(first, { functions, index });
  return index;
}

/** The expressions to try, in order, to build a model of this class for the editor. */
export function modelExpressions(module: Module, cls: ClassDef, constructibleWithoutArgs: boolean, user?: UserModelSettings): string[] {
  const out: string[] = [];
  if (user?.expression) out.push(user.expression);
  if (constructibleWithoutArgs) out.push(`${cls.name}()`);
  out.push(...factoriesOf(module, cls.name).map((f) => `${f}()`));
  return [...new Set(out)];
}

/** The input for a class, by the editor's order of precedence; undefined means "let the core pick symbols". */
export function resolveModelInput(lines: readonly string[], module: Module, cls: ClassDef, user?: UserModelSettings, annotations?: ForwardAnnotations): ModelInput | undefined {
  const directive = directiveAbove(lines, cls.r.start.line);
  if (directive) return { ...directive, source: 'comment' };
  if (user?.input) return { ...user.input, source: 'user' };
  return sampleCallInput(module, cls.name, factoriesOf(module, cls.name)) ?? annotationInput(annotations);
}
