// The facts' lookups (events of a loop iteration, calls of a module, a module's containers, events by file,
// operator, method name, builtin, construction and input kind) are indexes built once per file: each must
// answer exactly what a scan of every recorded event or module answers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/core/python/parse';
import { driveFile } from '../../../src/core/checks/facts/drive';
import { CheckFacts, inIteration } from '../../../src/core/checks/facts/facts';
import { allModules, parentsOf } from '../../../src/core/checks/facts/models';
import { callsComputing, computes } from '../../../src/core/checks/facts/dataflow';
import { productCandidates, productOf } from '../../../src/core/checks/facts/attention';
import { optimizerConstructions, optimizerResults } from '../../../src/core/checks/facts/optimizers';
import { constructionsOf } from '../../../src/core/checks/facts/transforms';
import { libraryObjectOf } from '../../../src/core/interp/library';
import type { Computation } from '../../../src/core/frameworks/torch/computes';
import type { FunctionFrame, LoopFrame, RecordedEvent } from '../../../src/core/checks/facts/recorder';
import type { Value } from '../../../src/core/interp/values';

const root = join(__dirname, '../../..');
const COMPUTATIONS: readonly Computation[] = ['uniform-noise', 'gaussian-noise', 'bernoulli', 'matrix-product', 'reduction', 'conversion', 'square-root'];
const isSequence = (v: Value | undefined): boolean => v?.kind === 'list' || v?.kind === 'tuple';

/**
 * Code that ran in another file (a helper module's own calls and operations), one optimizer construction run
 * twice.
 */
const INLINE = {
  path: '/project/inline_indexes.py',
  text: [
    'import torch',
    'import torch.nn as nn',
    'from helpers import scaled, make_optimizer',
    '',
    'model = nn.Linear(4, 2)',
    'first = make_optimizer(model)',
    'second = make_optimizer(model)',
    'x = torch.randn(8, 4)',
    'loss = scaled(model(x)).sum()',
    'loss.backward()',
    'first.step()',
    '',
  ].join('\n'),
  imports: {
    '/project/helpers.py': [
      'import torch',
      '',
      'def scaled(t):',
      '    return t * 2 + 1',
      '',
      'def make_optimizer(m):',
      '    return torch.optim.SGD(m.parameters(), lr=0.1)',
      '',
    ].join('\n'),
  } as Record<string, string>,
};

const files = [
  'examples/train.py',
  'examples/resnet.py',
  'test/unit/checks/fixtures/cc01-pos.py',
  'test/unit/checks/fixtures/cc03-pos.py',
  'test/unit/checks/fixtures/cc32-pos.py',
  'test/unit/checks/fixtures/cc23-pos.py',
  'test/unit/checks/fixtures/cc27-pos.py',
  'test/unit/checks/fixtures/cc30-pos.py',
  'test/unit/checks/fixtures/cc48-pos.py',
  'test/unit/checks/fixtures/cc37-pos.py',
  'test/unit/checks/fixtures/cc18-pos.py',
  INLINE.path,
];

const factsOf = (file: string): CheckFacts => {
  if (file === INLINE.path) return new CheckFacts(driveFile({ path: file, module: parseDocument(INLINE.text).module, readFile: (p) => INLINE.imports[p] }));
  const path = join(root, file);
  return new CheckFacts(driveFile({ path, module: parseDocument(readFileSync(path, 'utf8')).module }));
};

/** How many events each grouping held over all the files: every grouping must have been compared on something. */
const compared = new Map<string, number>();
const count = (what: string, list: readonly unknown[]): void => void compared.set(what, (compared.get(what) ?? 0) + list.length);

describe('check facts indexes', () => {
  for (const file of files) {
    it(`answer as a full scan does on ${file}`, () => {
      const facts = factsOf(file);
      const frames = new Map<string, LoopFrame>();
      for (const e of facts.events) for (const l of e.context.loops) frames.set(`${l.file}:${l.stmt.r.start.line}:${l.run}:${l.iteration}`, l);
      for (const loop of frames.values()) expect(facts.eventsInIteration(loop)).toEqual(facts.events.filter((e) => inIteration(e, loop)));
      for (const m of allModules(facts)) {
        expect(facts.callsOf(m)).toEqual(facts.calls.filter((c) => c.callee === m));
        const scanned = allModules(facts).flatMap((parent) => {
          const index = facts.driven.session.torch.childrenOf(parent).findIndex(([, c]) => c === m);
          return index >= 0 ? [{ parent, index }] : [];
        });
        expect(parentsOf(facts, m)).toEqual(scanned);
        // A module's tree, kept once the evaluation ran, and containment as a walk of it answers.
        const walked = facts.driven.session.torch.namedModules(m);
        expect(facts.namedModulesOf(m)).toEqual(walked);
        for (const other of allModules(facts)) expect(facts.contains(m, other)).toBe(walked.some(([, x]) => x === other));
      }
      // The files have loops and modules: the comparisons above ran on something.
      if (file.includes('train') || file.includes('cc01') || file.includes('cc03')) expect(frames.size).toBeGreaterThan(0);
      else if (file.includes('resnet') || file.includes('cc32')) expect(allModules(facts).length).toBeGreaterThan(0);
    });

    it(`group events by file, operator, name, builtin, construction and input as a scan does on ${file}`, () => {
      const facts = factsOf(file);
      const { events, calls } = facts;
      const local = events.filter((e) => e.file === facts.path);
      expect(facts.localEvents).toEqual(local);
      expect(facts.localCalls).toEqual(calls.filter((c) => c.file === facts.path));
      count('local', local);
      count('elsewhere', events.filter((e) => e.file !== facts.path));

      const ops = [...new Set(events.flatMap((e) => (e.kind === 'op' ? [e.op] : [])))];
      for (const op of ops) expect(facts.operations(op)).toEqual(events.filter((e) => e.kind === 'op' && e.op === op));
      // Several operators at once: one list in execution order.
      expect(facts.operations('+', '-', '@', '*')).toEqual(events.filter((e) => e.kind === 'op' && ['+', '-', '@', '*'].includes(e.op)));
      count('operations', facts.operations(...ops));

      const names = [...new Set(calls.flatMap((c) => facts.methodOf(c) ?? []))];
      for (const name of names) expect(facts.callsNamed(name)).toEqual(calls.filter((c) => facts.methodOf(c) === name));
      expect(facts.callsNamed('step', 'zero_grad', 'backward', 'parameters')).toEqual(calls.filter((c) => ['step', 'zero_grad', 'backward', 'parameters'].includes(facts.methodOf(c) ?? '')));
      const startsWithT = (name: string): boolean => name.startsWith('t');
      expect(facts.callsNamedBy(startsWithT)).toEqual(calls.filter((c) => startsWithT(facts.methodOf(c) ?? '')));
      count('named', facts.callsNamed(...names));

      const torchBuiltin = /^torch\.(nn\.functional\.)?[a-z]/;
      expect(facts.builtinCalls(torchBuiltin)).toEqual(calls.filter((c) => c.callee.kind === 'builtin' && torchBuiltin.test(c.callee.name)));
      expect(facts.builtinCalls(() => true)).toEqual(calls.filter((c) => c.callee.kind === 'builtin'));
      count('builtins', facts.builtinCalls(() => true));

      const constructions = calls.filter((c) => c.callee.kind === 'class');
      expect(facts.constructions).toEqual(constructions);
      for (const c of calls) expect(facts.constructionOf(c.result)).toBe(calls.find((b) => b.callee.kind === 'class' && b.result === c.result));
      const firstBuilt = new Map<Value, RecordedEvent>();
      for (const c of constructions) if (c.result.kind === 'object' && !firstBuilt.has(c.result)) firstBuilt.set(c.result, c);
      expect([...constructionsOf(facts)]).toEqual([...firstBuilt]);
      count('constructions', constructions);

      // Each value's consumers: the events taking it as receiver, argument or operand, each once.
      const inputs = (e: RecordedEvent): readonly (Value | undefined)[] => (e.kind === 'op' ? e.operands : [e.receiver, ...e.args.positional, ...e.args.keywords.values()]);
      const consumed = new Set(events.flatMap((e) => inputs(e).filter((v): v is Value => v !== undefined && typeof v === 'object')));
      for (const v of consumed) expect(facts.consumersOf(v)).toEqual(events.filter((e) => inputs(e).includes(v)));
      count('consumed twice by one event', events.filter((e) => new Set(inputs(e)).size < inputs(e).length));
      expect(facts.valueCalls).toEqual(calls.filter((c) => c.callee.kind === 'object' || c.callee.kind === 'unknown'));
      const sequenceInputs = events.filter((e) => (e.kind === 'op' ? e.operands.some(isSequence) : isSequence(e.receiver) || e.args.positional.some(isSequence)));
      expect(facts.sequenceInputEvents).toEqual(sequenceInputs);
      expect(facts.objectResultCalls).toEqual(calls.filter((c) => c.result.kind === 'object'));
      count('valueCalls', facts.valueCalls);
      count('objectResults', facts.objectResultCalls);
      count('sequenceInputs', sequenceInputs);

      // Supersets a rule filters further: the filter of the candidates is the filter of every event.
      expect(facts.backwardCandidates().filter((c) => facts.isBackward(c))).toEqual(calls.filter((c) => facts.isBackward(c)));
      count('backward', calls.filter((c) => facts.isBackward(c)));
      for (const what of COMPUTATIONS) {
        const scanned = calls.filter((c) => computes(facts, c) === what);
        expect(callsComputing(facts, what)).toEqual(scanned);
        count(`computes ${what}`, scanned);
      }
      const products = events.filter((e) => productOf(facts, e) !== undefined);
      expect(productCandidates(facts).filter((e) => productOf(facts, e) !== undefined)).toEqual(products);
      count('products', products);

      const optimizers = calls.filter((c) => libraryObjectOf(c.result)?.kind === 'optimizer');
      expect(optimizerResults(facts)).toEqual(optimizers);
      expect(optimizerConstructions(facts).map((o) => o.call)).toEqual(optimizers.filter((c, i) => optimizers.findIndex((o) => o.expr === c.expr) === i));
      count('optimizers', optimizers);
      count('optimizer built again', optimizers.filter((c, i) => optimizers.findIndex((o) => o.expr === c.expr) !== i));

      const allFrames = new Set<FunctionFrame>(events.flatMap((e) => e.context.functions));
      for (const fn of new Set([...allFrames].map((f) => f.fn))) expect(new Set(facts.framesOf(fn))).toEqual(new Set([...allFrames].filter((f) => f.fn === fn)));
      count('frames', [...allFrames]);
    });
  }

  it('compared every grouping on events the files have', () => {
    for (const what of ['local', 'elsewhere', 'optimizer built again', 'operations', 'named', 'builtins', 'constructions', 'consumed twice by one event', 'valueCalls', 'objectResults', 'sequenceInputs', 'backward', 'computes bernoulli', 'computes matrix-product', 'computes uniform-noise', 'products', 'optimizers', 'frames'])
      expect(compared.get(what) ?? 0, what).toBeGreaterThan(0);
  });
});
