// The `inspect` module inside the interpreter: `inspect.signature` of a function defined in Python, as model
// libraries read it (torchvision's builders: kwonly_to_pos_or_kw finds where the keyword-only parameters start;
// "is `fused` a parameter of this optimizer?"). The signature of a builtin, a class or any other callable is
// unknown, as is every other name of the module.
import type { Range } from '../values';
import { int, str, unknown } from '../values';
import type { CallArgs, ClassV, FunctionV, NamespaceV, Value } from './values';
import { keyOf } from './values';
import type { Param } from '../python/ast';
import type { Interpreter } from './interpreter';
import { describe } from './interpreter';
import { nativeClass, staticNamespace } from './builtins';

/** inspect.Parameter's kinds, in Python's order and with its values (an IntEnum there; ints here). */
const PARAMETER_KINDS = ['POSITIONAL_ONLY', 'POSITIONAL_OR_KEYWORD', 'VAR_POSITIONAL', 'KEYWORD_ONLY', 'VAR_KEYWORD'] as const;

/** A parameter's kind as inspect.Parameter numbers it. */
function parameterKind(p: Param): number {
  if (p.kind === 'star') return 2;
  if (p.kind === 'kwonly') return 3;
  if (p.kind === 'dstar') return 4;
  return p.positionalOnly ? 0 : 1;
}

/**
 * The parameters a call of `target` takes, or why they are unknown: a function's own, or those of the function
 * it wraps (`follow`: its `__wrapped__`, as inspect.unwrap follows it); a bound method's without its first.
 */
function parametersOf(interp: Interpreter, target: Value, follow: boolean): { fn: FunctionV; params: readonly Param[] } | string {
  if (target.kind === 'method') {
    if (target.fn.kind !== 'function') return `inspect.signature of a method of ${describe(target.self)} that is not a Python function`;
    const of = parametersOf(interp, target.fn, follow);
    if (typeof of === 'string') return of;
    // Python drops the parameter the method is bound to: the first, unless it is *args (which takes it).
    const first = of.params[0];
    if (first === undefined || (first.kind !== 'normal' && first.kind !== 'star')) return 'inspect.signature of a method without a parameter for self';
    return first.kind === 'star' ? of : { fn: of.fn, params: of.params.slice(1) };
  }
  let fn: Value = target;
  const seen = new Set<Value>();
  while (follow && fn.kind === 'function' && interp.wrappedFunctions.has(fn)) {
    if (seen.has(fn)) return 'inspect.signature of a wrapper loop';
    seen.add(fn);
    fn = interp.wrappedFunctions.get(fn)!;
  }
  if (fn !== target && fn.kind === 'method') return parametersOf(interp, fn, follow);
  if (fn.kind !== 'function') return `inspect.signature of ${describe(fn)} is not modelled`;
  return { fn, params: fn.params };
}

export function createInspectModule(interp: Interpreter, objectClass: ClassV): NamespaceV {
  // inspect.Parameter.empty (inspect._empty): the default of a parameter without one, and every annotation's here.
  const empty = nativeClass('_empty', 'object', [], [objectClass]);
  const parameterClass = nativeClass('Parameter', 'object', [...PARAMETER_KINDS.map((name, i): [string, Value] => [name, int(i)]), ['empty', empty]], [objectClass]);
  const signatureClass = nativeClass('Signature', 'object', [['empty', empty]], [objectClass]);

  const parameter = (fn: FunctionV, p: Param, range: Range): Value => {
    const given = p.default ? (fn.defaults.get(p.name) ?? unknown(`the default of ${p.name}`, range)) : empty;
    // Annotations are never evaluated here: one that is written is unknown, not empty.
    const annotation = p.annotation ? unknown(`the annotation of ${p.name} is not evaluated`, range) : empty;
    return interp.newObject(parameterClass, [['name', str(p.name)], ['kind', int(parameterKind(p))], ['default', given], ['annotation', annotation]]);
  };

  // signature(obj, *, follow_wrapped=True): a Signature whose `parameters` maps each name to its Parameter, in order.
  const signature = (a: CallArgs, range: Range): Value => {
    const target = a.positional[0] ?? a.keywords.get('obj');
    const followKeyword = a.keywords.get('follow_wrapped');
    if (!target) return interp.raise("signature() missing 1 required positional argument: 'obj'", range, 'TypeError');
    if (followKeyword !== undefined && followKeyword.kind !== 'bool') return unknown('inspect.signature with an unknown follow_wrapped', range);
    const of = parametersOf(interp, target, followKeyword?.kind !== 'bool' || followKeyword.value);
    if (typeof of === 'string') return unknown(of, range);
    const parameters = interp.newDict(of.params.map((p) => [keyOf(str(p.name)), { key: str(p.name), value: parameter(of.fn, p, range) }] as const));
    return interp.newObject(signatureClass, [['parameters', parameters], ['return_annotation', of.fn.def?.returns ? unknown('the return annotation is not evaluated', range) : empty]]);
  };

  return staticNamespace('inspect', {
    signature: { kind: 'builtin', name: 'signature', call: signature },
    Parameter: parameterClass,
    Signature: signatureClass,
    _empty: empty,
  }, (n) => unknown(`inspect.${n} is not modelled`));
}
