// summarizeModel (the CLI's and the hovers' full forward analysis) never throws or hangs: on layer
// configurations no real model has, and on corpus models mutated the way a half-typed edit does.
// Kept apart from robustness.test.ts so a crash here (e.g. out of memory) cannot hide those results.
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { summarizeModel } from '../../../src/core/index';
import { CORPUS_DIR, loadManifest } from '../../oracle/lib/manifest';
import type { FileRun, TimeLimit } from './harness';
import { cachedReader, describeInternalErrors, describeProblems, runTimed, statsOf } from './harness';
import { applyMutations } from './mutate';
import { mutationArbitrary } from './mutationArbitrary';

/** summarizeModel runs the whole forward: the core's own 2 s time budget plus slack for the report after it. */
const SUMMARY_LIMIT: TimeLimit = { cpuMs: 3000, wallMs: 15_000 };

/** Models whose sizes are absurd: each must end as a summary or a clear error, never a crash or a hang. */
const ABSURD_MODELS: readonly [string, string][] = [
  ['a GRU with 2**53 layers', 'nn.GRU(10, 10, 2**53)'],
  ['an LSTM with 10**9 hidden units', 'nn.LSTM(10, 10**9, num_layers=3, bidirectional=True)'],
  ['a Linear of 10**12 by 10**12', 'nn.Linear(10**12, 10**12)'],
  ['a Conv2d with a 10**6 kernel', 'nn.Conv2d(3, 8, 10**6)'],
  ['a Sequential of 10**7 layers', 'nn.Sequential(*[nn.Linear(10, 10) for _ in range(10**7)])'],
  ['a ModuleList of 10**9 references', 'nn.ModuleList([nn.ReLU()] * 10**9)'],
  ['a Transformer with 10**6 layers', 'nn.TransformerEncoder(nn.TransformerEncoderLayer(10, 2), 10**6)'],
  ['negative sizes', 'nn.Sequential(nn.Linear(10, -3), nn.Conv1d(-1, 2, 3))'],
  ['zero heads', 'nn.MultiheadAttention(10, 0)'],
];

describe('summarizeModel on absurd layer configurations', () => {
  it.each(ABSURD_MODELS)('%s: no crash, bounded time', (_name, expression) => {
    const text = `import torch\nimport torch.nn as nn\n\nmodel = ${expression}\n`;
    const run = runTimed('/workspace/absurd.py', () => summarizeModel({ path: '/workspace/absurd.py', text, model: 'model', inputs: ['2,10'] }));
    expect([...describeProblems([run], SUMMARY_LIMIT), ...describeInternalErrors([run])]).toEqual([]);
  });
});

describe('summarizeModel on mutated oracle-corpus models (fast-check)', () => {
  const entries = loadManifest();
  const readFile = cachedReader();
  const runs: FileRun[] = [];

  it('never throws and stays within its time limit while the model file is being edited', () => {
    fc.assert(
      fc.property(fc.nat({ max: entries.length - 1 }), fc.array(mutationArbitrary, { minLength: 1, maxLength: 3 }), (index, mutations) => {
        const entry = entries[index]!;
        const path = join(CORPUS_DIR, entry.file);
        const text = applyMutations(readFile(path) ?? '', mutations);
        const inputs = entry.inputs.map((shape) => shape.join(','));
        const run = runTimed(path, () => summarizeModel({ path, text, readFile, model: entry.model, inputs, dtype: entry.dtype }));
        runs.push(run);
        expect(describeProblems([run], SUMMARY_LIMIT)).toEqual([]);
      }),
      { numRuns: 120 },
    );
    console.log(`summarizeModel over mutated corpus models: ${JSON.stringify({ ...statsOf(runs), slowest: undefined })}`);
  }, 600_000);
});
