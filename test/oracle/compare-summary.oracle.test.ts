// The comparison must be able to fail: it is checked here on a real oracle summary (computed by PyTorch
// at test time) against copies of it with one field changed.
import { beforeAll, describe, expect, it } from 'vitest';
import { compareSummaries, formatDifferences } from './lib/compareSummary';
import { loadManifest } from './lib/manifest';
import type { CallJson, SummaryJson } from './lib/summaryJson';
import { isOracleFailure } from './lib/summaryJson';
import { runTorchOracle } from './lib/torchOracle';

let reference: SummaryJson;

function withCall(summary: SummaryJson, index: number, change: Partial<CallJson>): SummaryJson {
  return { ...summary, calls: summary.calls.map((call, i) => (i === index ? { ...call, ...change } : call)) };
}

describe('compareSummaries', () => {
  beforeAll(async () => {
    const entry = loadManifest().find((e) => e.name === 'dcgan-discriminator');
    if (!entry) throw new Error('manifest entry dcgan-discriminator is missing');
    const [result] = await runTorchOracle([entry]);
    if (!result || isOracleFailure(result)) throw new Error(`oracle failed: ${result ? result.error : 'no result'}`);
    reference = result;
  });

  it('finds no difference between a summary and itself', () => {
    expect(compareSummaries(reference, structuredClone(reference))).toEqual([]);
  });

  it('reports the first call whose output shape differs, with both values', () => {
    const changed = withCall(reference, 2, { output: [9, 9] });
    const differences = compareSummaries(reference, changed);
    expect(differences[0]).toEqual({ what: `call #2 (${reference.calls[2]?.path}) output`, expected: reference.calls[2]?.output, actual: [9, 9] });
    expect(formatDifferences('x', reference, changed)).toContain('ml-notes [9,9]');
    expect(formatDifferences('x', reference, changed)).toContain(`1 of ${reference.calls.length} calls differ`);
  });

  it('reports type, params and MACs of a call, and a null MAC count', () => {
    const changed = withCall(reference, 0, { type: 'Conv1d', params: 1, macs: null });
    const what = compareSummaries(reference, changed).map((d) => d.what);
    expect(what).toEqual(expect.arrayContaining([expect.stringMatching(/type$/), expect.stringMatching(/params$/), expect.stringMatching(/macs$/)]));
  });

  it('reports a missing call and wrong totals', () => {
    const changed: SummaryJson = { ...reference, calls: reference.calls.slice(1), params: reference.params + 1, trainable_params: 0 };
    const what = compareSummaries(reference, changed).map((d) => d.what);
    expect(what).toEqual(expect.arrayContaining(['call count', 'total params', 'total trainable_params']));
  });

  it('reports a summary without calls or totals instead of throwing', () => {
    // A summary without its fields, as a broken CLI run would print it.
    const broken = JSON.parse('{"model": "x"}') as SummaryJson;
    expect(compareSummaries(reference, broken).map((d) => d.what)).toEqual(
      expect.arrayContaining(['total params', 'total macs', 'call count']),
    );
  });
});
