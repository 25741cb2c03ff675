// `ml-notes check` and `summary` on notebooks, in-process: positions as (cell over all cells, line in
// the cell), `nb.ipynb:cell 5:5:5` in text, and one line with exit 2 for a malformed notebook.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../../src/cli/commands/check';
import { runSummary } from '../../../src/cli/commands/summary';
import type { CliIo } from '../../../src/cli/types';

const FIXTURES = join(__dirname, 'fixtures');
const FILES: Record<string, string> = Object.fromEntries(readdirSync(FIXTURES).map((name) => [`/nb/${name}`, readFileSync(join(FIXTURES, name), 'utf8')]));
FILES['/nb/broken.ipynb'] = '{"nbformat": 4, "nbformat_minor": 4, "cells": [';
FILES['/nb/r.ipynb'] = JSON.stringify({ nbformat: 4, nbformat_minor: 4, metadata: { kernelspec: { language: 'R', name: 'ir' } }, cells: [] });
FILES['/nb/shape.ipynb'] = FILES['/nb/small_cnn.v4.4.ipynb']!.replace('nn.Linear(8 * 16 * 16, 10)', 'nn.Linear(8 * 32 * 32, 10)');

const io: CliIo = {
  cwd: '/nb',
  readFile: (p) => FILES[p],
  listPythonFiles: (dir) => Object.keys(FILES).filter((p) => p.startsWith(`${dir}/`)).sort(),
  isDirectory: (p) => p === '/nb',
};

describe('ml-notes check on a notebook', () => {
  // The loop is the fifth cell; `optimizer.step()` is its fifth line, indented by four spaces.
  it('prints nb.ipynb:cell C:L:C with the cell numbered over all cells and the line inside it', async () => {
    const result = await runCheck(['training.ipynb'], io);
    expect(result.stdout).toMatch(/^training\.ipynb:cell 5:5:5 CC-01 .*zero/);
    expect(result.code).toBe(1);
  });

  it('adds "cell" to the JSON rows of notebook findings', async () => {
    const rows = JSON.parse((await runCheck(['training.ipynb', '--json'], io)).stdout).findings;
    expect(rows).toEqual([expect.objectContaining({ file: 'training.ipynb', cell: 5, line: 5, col: 5, rule: 'CC-01', severity: 'error' })]);
  });

  it('reports a malformed notebook in one line, exits 2 and still checks the other files', async () => {
    const result = await runCheck(['broken.ipynb', 'training.ipynb'], io);
    expect(result.stderr.split('\n').filter((l) => l.startsWith('ml-notes: broken.ipynb'))).toEqual([
      expect.stringMatching(/^ml-notes: broken\.ipynb: not a notebook: the file is not valid JSON \(.+\)$/),
    ]);
    expect(result.stdout).toMatch(/^training\.ipynb:cell 5:5:5 CC-01/);
    expect(result.code).toBe(2);
  });
});

describe('ml-notes summary on a notebook', () => {
  const json = (args: string[]) => JSON.parse(runSummary(args, io).stdout);

  it.each([0, 1, 2, 3, 4, 5])('runs the code cells of an nbformat 4.%i notebook in order, lines named by cell', (minor) => {
    const summary = json([`small_cnn.v4.${minor}.ipynb`, '--model', 'Net()', '--input', '2,3,32,32', '--json']);
    // Cell 3's forward: conv and pool are called on its ninth line, fc on its eleventh.
    expect(summary.calls.map((c: { path: string; cell: number; line: number }) => [c.path, c.cell, c.line])).toEqual([
      ['conv', 3, 9],
      ['pool', 3, 9],
      ['fc', 3, 11],
    ]);
    expect(summary.params).toBe(20714);
    expect(summary.output).toEqual([2, 10]);
  });

  it('without --model or --input, takes the model and its input from a later cell, and says which cell built it', () => {
    // Cell 5 runs `model = Net()` on its second line, then `model(torch.randn(2, 3, 32, 32))`.
    const summary = json(['small_cnn.v4.4.ipynb', '--json']);
    expect(summary.origin).toBe('built at cell 5:2');
    expect(summary.input).toEqual([[2, 3, 32, 32]]);
    expect(summary.output).toEqual([2, 10]);
    expect(runSummary(['small_cnn.v4.4.ipynb'], io).stdout.split('\n')[0]).toMatch(/^Model: Net\(\) \(built at cell 5:2\)/);
  });

  it('names the cell of an error in the table', () => {
    const result = runSummary(['shape.ipynb', '--model', 'Net()', '--input', '2,3,32,32'], io);
    expect(result.stdout).toMatch(/Errors \(PyTorch would raise\):\n {2}cell 3:11: .*2048/);
    expect(result.code).toBe(1);
  });

  it.each([
    ['broken.ipynb', /^ml-notes: broken\.ipynb: not a notebook: the file is not valid JSON/],
    ['v3.ipynb', /^ml-notes: v3\.ipynb: nbformat 3 notebooks are not supported/],
    ['r.ipynb', /^ml-notes: r\.ipynb: the notebook's kernel language is R: only Python notebooks are analysed$/],
  ])('refuses %s in one line with exit 2', (file, message) => {
    const result = runSummary([file], io);
    expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(message)]);
    expect(result).toMatchObject({ stdout: '', code: 2 });
  });
});
