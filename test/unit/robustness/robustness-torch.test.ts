// The torch half of the robustness run (see robustness.test.ts): analyzeFile over every .py file of the
// installed torch, imports followed from disk; a corpus sweep (test/sweeps.ts).
import { describe, expect, it } from 'vitest';
import type { FileRun } from './harness';
import { describeInternalErrors, describeProblems } from './harness';
import { analyzeTree, packageDirectory } from './trees';
import { CORPUS_SWEEPS } from '../../sweeps';

describe.skipIf(!CORPUS_SWEEPS)('analyzeFile over every .py file of torch', () => {
  let runs: FileRun[] | undefined;
  const analyzed = (): FileRun[] => (runs ??= analyzeTree(packageDirectory('torch')));

  it('never throws, returns plain data and stays within the time limit per file', () => {
    expect(analyzed().length).toBeGreaterThan(1000);
    const problems = describeProblems(analyzed());
    expect(problems.slice(0, 20), `${problems.length} problems`).toEqual([]);
  }, 600_000);

  it('hits no internal error (an exception the core caught and reported)', () => {
    const internal = describeInternalErrors(analyzed());
    expect(internal.slice(0, 20), `${internal.length} files with internal errors`).toEqual([]);
  }, 600_000);
});
