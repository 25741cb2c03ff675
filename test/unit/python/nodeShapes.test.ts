// Syntax nodes of one kind have the same fields in the same order (a field without a value is there, undefined), and
// every empty list of the tree is the shared EMPTY_LIST: V8 then gives each kind one hidden class and every list one
// elements kind, and the interpreter's methods, optimised on the nodes they met first, are not deoptimised by an
// assignment without a value or a call without arguments. A stored parse (the CLI's parse cache, whose JSON has no
// undefined) reads back nodes with the fields, in the order, of a fresh parse.
import { describe, expect, it } from 'vitest';
import { EMPTY_LIST, type Module } from '../../../src/core/python/ast';
import { parseModule } from '../../../src/core/python/parse';
import { storedParse, storedParseText } from '../../../src/node/storedParse';

const SOURCE = `import torch.nn as nn
import os
from typing import Optional as Opt, List
from . import *

x: int
y: int = 3
a = b = f()
g(1, *rest, key=2, **more)
h(v for v in range(3))
s = t[1:2], t[::2], t[:]
d = {k: v for k, v in items if v}, {**extra, 'z': 1}
lst = [q for q in range(3)]


def plain(u, v=1, /, w: int = 2, *args, z, **kw) -> Opt[int]:
    if u:
        return
    elif v:
        raise
    try:
        pass
    except ValueError as e:
        raise e
    except:
        pass
    with open('p') as fp, open('q'):
        return v


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)
        lam = lambda: 0
        lam2 = lambda p, q=1: p


class Bare:
    pass
`;

/** Every object of the tree with what it is (see kindOf), and every array with the field it is under. */
function walk(tree: unknown, visit: (node: Record<string, unknown>, kind: string) => void, visitList: (list: readonly unknown[], field: string) => void): void {
  const pending: [unknown, string, string][] = [[tree, 'module', 'module']];
  while (pending.length > 0) {
    const [value, owner, field] = pending.pop()!;
    if (Array.isArray(value)) {
      visitList(value, `${owner}.${field}`);
      for (const item of value) if (typeof item === 'object' && item !== null) pending.push([item, owner, field]);
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    const node = value as Record<string, unknown>;
    const kind = kindOf(node, owner, field);
    visit(node, kind);
    for (const key of Object.keys(node)) pending.push([node[key], kind, key]);
  }
}

/**
 * A node's kind: statements and expressions by `k`, other records (arguments, parameters, items, ranges...) by the
 * kind of node that holds them and the field they are under.
 */
const kindOf = (node: Record<string, unknown>, owner: string, field: string): string =>
  'r' in node && typeof node.k === 'string' ? `node ${node.k}` : `${owner}.${field}${typeof node.k === 'string' ? ` ${node.k}` : ''}`;

/** The key orders each kind of node is seen with. */
function keyOrders(module: Module): Map<string, Set<string>> {
  const orders = new Map<string, Set<string>>();
  walk(
    module,
    (node, kind) => {
      if (!orders.has(kind)) orders.set(kind, new Set());
      orders.get(kind)!.add(Object.keys(node).join(','));
    },
    () => {},
  );
  return orders;
}

/** The empty lists of the tree, each with where it is. */
const emptyLists = (module: Module): [string, unknown][] => {
  const lists: [string, unknown][] = [];
  walk(module, () => {}, (list, field) => list.length === 0 && lists.push([field, list]));
  return lists;
};

describe('syntax node shapes', () => {
  it('gives every node of one kind the same fields in the same order', () => {
    const orders = keyOrders(parseModule(SOURCE));
    const mixed = [...orders].filter(([, keys]) => keys.size > 1).map(([kind, keys]) => `${kind}: ${[...keys].join(' | ')}`);
    expect(mixed).toEqual([]);
    // The kinds whose fields are sometimes without a value are in the source, with and without it.
    expect(orders.get('node assign')).toEqual(new Set(['k,targets,value,annotated,r']));
    expect(orders.get('node def.params')).toEqual(new Set(['name,kind,default,annotation,positionalOnly']));
    expect(orders.get('node call.args')).toEqual(new Set(['kind,name,value']));
    expect(orders.get('node slice')).toEqual(new Set(['k,lower,upper,step,r']));
    expect(orders.get('node return')).toEqual(new Set(['k,value,r']));
    expect(orders.get('node try.handlers')).toEqual(new Set(['type,name,body']));
    expect(orders.get('node dict.items')).toEqual(new Set(['key,value']));
  });

  it('makes every empty list the shared one', () => {
    const lists = emptyLists(parseModule(SOURCE));
    // `f()`, `super().__init__()`, `lambda: 0`, `def __init__(self)`'s decorators... and `class Bare:`'s bases.
    expect(lists.length).toBeGreaterThan(5);
    expect(lists.filter(([, list]) => list !== EMPTY_LIST).map(([field]) => field)).toEqual([]);
  });

  it('reads a stored parse back with the fields, in the order, of a fresh parse', () => {
    const fresh = parseModule(SOURCE);
    const stored = storedParse(storedParseText(SOURCE, fresh), SOURCE)!;
    const freshKeys: string[] = [];
    const storedKeys: string[] = [];
    walk(fresh, (node, kind) => freshKeys.push(`${kind}: ${Object.keys(node).join(',')}`), () => {});
    walk(stored, (node, kind) => storedKeys.push(`${kind}: ${Object.keys(node).join(',')}`), () => {});
    expect(storedKeys).toEqual(freshKeys);
    expect(emptyLists(stored).filter(([, list]) => list !== EMPTY_LIST).map(([field]) => field)).toEqual([]);
    expect(stored).toEqual(fresh);
  });
});
