// The AST walks every analysis builds on (issue 16 made them walk without an array of children per node): which
// sub-expressions they visit, in which order, with which parent, and the calls they list.
import { describe, expect, it } from 'vitest';
import { parseModule } from '../../../src/core/python/parse';
import { allCalls, calledName, walkExpr } from '../../../src/core/python/syntax';
import type { Expr } from '../../../src/core/python/ast';

const label = (e: Expr): string => (e.k === 'name' ? e.id : e.k === 'attr' ? `.${e.name}` : e.k === 'num' ? String(e.value) : e.k);

/** Every node of the value of the statement `source`, pre-order, as `node<parent`. */
function visits(source: string): string[] {
  const statement = parseModule(source).body[0]!;
  const root = statement.k === 'expr' ? statement.value : statement.k === 'assign' ? statement.value : undefined;
  if (!root) throw new Error(`no value in ${source}`);
  const out: string[] = [];
  walkExpr(root, (node, parent) => out.push(`${label(node)}<${parent ? label(parent) : ''}`));
  return out;
}

describe('walkExpr', () => {
  it("visits calls, arguments, subscripts, slices and comprehensions pre-order, an if-expression's test first", () => {
    expect(visits('f(a.b[c:d:e], *g, k=-h, **m) if t and not u else [v for w in y if z]')).toEqual([
      'ifexp<', 'bool<ifexp', 't<bool', 'unary<bool', 'u<unary',
      'call<ifexp', 'f<call', 'sub<call', '.b<sub', 'a<.b', 'slice<sub', 'c<slice', 'd<slice', 'e<slice', 'g<call', 'unary<call', 'h<unary', 'm<call',
      // A comprehension's element, then each clause's iterable or condition (not its targets).
      'comp<ifexp', 'v<comp', 'y<comp', 'z<comp',
    ]);
  });

  it('visits dictionaries, lambdas, f-strings, sets, named expressions and comparisons', () => {
    expect(visits('x = {p: q, **r}, (lambda s: s + 1), f"{aa}", {s1, s2}, (n := 3), o1 < o2')).toEqual([
      'tuple<', 'dict<tuple', 'p<dict', 'q<dict', 'r<dict',
      // A lambda's body (its parameters are no sub-expressions).
      'lambda<tuple', 'bin<lambda', 's<bin', '1<bin',
      'fstr<tuple', 'aa<fstr', 'set<tuple', 's1<set', 's2<set', 'named<tuple', '3<named', 'cmp<tuple', 'o1<cmp', 'o2<cmp',
    ]);
  });
});

describe('allCalls', () => {
  it('lists every call of a module in source order, a call before those in its arguments, nested bodies included', () => {
    const module = parseModule(
      ['a(b(1))', 'class K(base()):', '    x = c()', '    def m(self, q=d()):', '        if e():', '            f()', '        return g(h())', 'i()', ''].join('\n'),
    );
    expect(allCalls(module.body).map((call) => calledName(call))).toEqual(['a', 'b', 'base', 'c', 'd', 'e', 'f', 'g', 'h', 'i']);
  });
});
