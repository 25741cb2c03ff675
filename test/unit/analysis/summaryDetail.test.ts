// A summary asked for its calls only (what the CLI prints) is the full summary without the per-module reports,
// the container calls, the consumers of each call's output and the record of forward code's statements,
// assignments and loops: everything else, compared with the full summary as oracle, is the same.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarizeModel } from '../../../src/core';
import type { ModelSummary, SummaryRequest } from '../../../src/core/analysis/summary';

const ROOT = join(__dirname, '../../..');
const readFile = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/** The corpus's ResNet (residual blocks: container calls, loops in _make_layer), the examples' U-Net and transformer. */
const CASES: readonly Omit<SummaryRequest, 'text' | 'readFile'>[] = [
  { path: join(ROOT, 'test/oracle/corpus/torchvision/models/resnet.py'), model: 'resnet18()', inputs: ['1,3,64,64'] },
  { path: join(ROOT, 'examples/unet.py'), inputs: ['2,3,H,W'] },
  { path: join(ROOT, 'examples/transformer.py'), train: true },
];

const summarize = (request: Omit<SummaryRequest, 'text' | 'readFile'>, detail: SummaryRequest['detail']): ModelSummary => {
  const s = summarizeModel({ ...request, text: readFileSync(request.path, 'utf8'), readFile, ...(detail ? { detail } : {}) });
  if ('error' in s) throw new Error(s.error);
  return s;
};

/** The summary without the parts a 'calls' summary leaves out. */
function callsPart(s: ModelSummary): unknown {
  const { modules: _modules, containerCalls: _containers, statements: _statements, assignments: _assignments, loops: _loops, calls, ...rest } = s;
  return { ...rest, calls: calls.map(({ next: _next, ...call }) => call) };
}

describe('a summary of its calls only', () => {
  it.each(CASES)('is the full summary without the module, container, statement, assignment and loop reports ($path)', (request) => {
    const full = summarize(request, undefined);
    const calls = summarize(request, 'calls');
    // What the full summary reports there (the oracle has them, so leaving them out is a difference).
    expect(full.modules.length).toBeGreaterThan(0);
    expect(full.statements.length + full.assignments.length).toBeGreaterThan(0);
    expect(calls.modules).toEqual([]);
    expect(calls.containerCalls).toEqual([]);
    expect(calls.statements).toEqual([]);
    expect(calls.assignments).toEqual([]);
    expect(calls.loops).toEqual([]);
    expect(calls.calls.some((c) => c.next !== undefined)).toBe(false);
    expect(callsPart(calls)).toEqual(callsPart(full));
    expect(calls.calls.length).toBeGreaterThan(0);
  });

  it('is what the full summary is when the detail is all', () => {
    const request = CASES[0]!;
    expect(summarize(request, 'all')).toEqual(summarize(request, undefined));
  });
});
