// The catalogue layers the evaluation built in the checked file: each module with the call that constructed
// it (its argument expressions, for quick fixes) and its bound constructor arguments as values, wherever
// they came from (a literal, a variable, a config object, a command-line argument's default).
import type { ObjectV, Value } from '../../interp/values';
import type { CallExpr } from '../../python/syntax';
import type { CheckFacts } from './facts';
import { allModules, layerName } from './models';
import { isDriverFrame } from './drive';

export interface BuiltLayer {
  /** The first module built there, and every one (a block class instantiated per stage builds many). */
  readonly module: ObjectV;
  readonly modules: readonly ObjectV[];
  /** The catalogue class (`MultiheadAttention`), also for a user subclass of it. */
  readonly layer: string;
  /** The constructor call in the checked file. */
  readonly call: CallExpr;
}

/** The checked file's constructions of modules: which the driver built (see below), and each module with its call. */
interface ModuleConstructions {
  readonly byDriver: Set<ObjectV>;
  /**
   * The modules built by the checked file's code, in allModules order, with their call and catalogue class: nine
   * rules ask for some of them in every unit, so each asks only these, not every module with a lookup each.
   */
  readonly listed: readonly { readonly module: ObjectV; readonly call: CallExpr; readonly layer: string }[];
}

const constructionMemo = new WeakMap<CheckFacts, ModuleConstructions>();

function moduleConstructions(facts: CheckFacts): ModuleConstructions {
  const known = constructionMemo.get(facts);
  if (known) return known;
  const built = new Map<ObjectV, CallExpr>();
  const byDriver = new Set<ObjectV>();
  for (const c of facts.constructions) {
    if (c.file !== facts.path || !facts.isModule(c.result)) continue;
    built.set(c.result, c.expr);
    const frame = c.context.functions.at(-1);
    if (frame && isDriverFrame(frame)) byDriver.add(c.result);
  }
  const listed: { module: ObjectV; call: CallExpr; layer: string }[] = [];
  for (const m of allModules(facts)) {
    const call = built.get(m);
    if (call) listed.push({ module: m, call, layer: layerName(m) });
  }
  const made = { byDriver, listed };
  constructionMemo.set(facts, made);
  return made;
}

/** Layers whose catalogue class matches (a pattern of names, or a question to the module's entry), constructed in the checked file; one per construction site. */
export function layersBuiltHere(facts: CheckFacts, layer: RegExp | ((m: ObjectV) => boolean)): BuiltLayer[] {
  const out = new Map<CallExpr, BuiltLayer & { modules: ObjectV[] }>();
  const { byDriver, listed } = moduleConstructions(facts);
  for (const { module: m, call, layer: name } of listed) {
    if (typeof layer === 'function' ? !layer(m) : !layer.test(name)) continue;
    const entry = out.get(call);
    if (entry) entry.modules.push(m);
    else out.set(call, { module: m, modules: [m], layer: name, call });
  }
  // Where the file's own code builds a layer, the copies the driver built with default arguments (to call a
  // method no code calls) say nothing: `DepthWiseConv2d(..., bias=False)` must not also count with bias=True.
  return [...out.values()].map((entry) => {
    const real = entry.modules.filter((m) => !byDriver.has(m));
    return real.length > 0 && real.length < entry.modules.length ? { ...entry, module: real[0]!, modules: real } : entry;
  });
}

/** A bound constructor argument of a catalogue layer. */
export const ctorArg = (m: ObjectV, name: string): Value | undefined => m.module?.ctorArgs?.get(name);

const sameRange = (a: CallExpr['r'], b: CallExpr['r']): boolean =>
  a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;

/** The layer the evaluation built at a constructor call of the checked file (a range another analysis reported), if any. */
export function layerBuiltAt(facts: CheckFacts, range: CallExpr['r']): BuiltLayer | undefined {
  return layersBuiltHere(facts, /(?:)/).find((l) => sameRange(l.call.r, range));
}
