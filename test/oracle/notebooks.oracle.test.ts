// Ground truth for `ml-notes summary` on Jupyter notebooks: notebook_summary.py runs each notebook's code
// cells in order in a real IPython shell (magics, shell escapes, help and cell magics as Jupyter runs them),
// builds the model from the notebook's namespace and records every call with real PyTorch, including the
// cell and line where PyTorch made it. The CLI must agree on shapes, params, MACs and on those positions.
// Notebooks: ones written for the purpose (test/unit/notebook/fixtures, nbformat 4.0–4.5) and the real
// functorch notebooks of the Debian corpus (their CUDA cells fail without a GPU; the cells that define
// the model run). Inputs are the ones the notebooks themselves feed their models.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, CLI_BUNDLE, REPO_ROOT } from './lib/cli';
import { compareSummaries, formatDifferences } from './lib/compareSummary';
import { runProcess } from './lib/process';
import type { CallJson, OracleFailure, SummaryJson } from './lib/summaryJson';
import { isOracleFailure } from './lib/summaryJson';
import { assertTorchAvailable, TORCH_PYTHON } from './lib/torchOracle';

const ORACLE = join(REPO_ROOT, 'test', 'oracle', 'notebook_summary.py');
const FIXTURES = 'test/unit/notebook/fixtures';
const FUNCTORCH = 'test/corpus/debian-src/pytorch-1.13.1/functorch/notebooks';

interface NotebookEntry {
  readonly notebook: string;
  readonly model: string;
  readonly inputs: readonly (readonly number[])[];
  /** The cells that import torch and define the model (1-based over all cells): PyTorch must run them. */
  readonly modelCells: readonly number[];
}

const ENTRIES: readonly NotebookEntry[] = [
  ...[0, 1, 2, 3, 4, 5].map((minor) => ({ notebook: `${FIXTURES}/small_cnn.v4.${minor}.ipynb`, model: 'Net()', inputs: [[2, 3, 32, 32]], modelCells: [2, 3, 5, 6, 7, 9] })),
  // `data = torch.randn(100, 64, 1, 28, 28, device=device)`; each model sees one [64, 1, 28, 28] minibatch.
  { notebook: `${FUNCTORCH}/ensembling.ipynb`, model: 'SimpleMLP()', inputs: [[64, 1, 28, 28]], modelCells: [2, 3] },
  // `x_train = torch.randn(20, 3, 32, 32, device=device)`.
  { notebook: `${FUNCTORCH}/neural_tangent_kernels.ipynb`, model: 'CNN()', inputs: [[20, 3, 32, 32]], modelCells: [3] },
  // `data = torch.randn(batch_size, 1, 28, 28, device=device)` with batch_size = 64.
  { notebook: `${FUNCTORCH}/per_sample_grads.ipynb`, model: 'SimpleCNN()', inputs: [[64, 1, 28, 28]], modelCells: [2, 3] },
];

/** The summary JSON of a notebook: each call also names its cell (1-based over all cells) and its line there. */
type PositionedCall = CallJson & { readonly cell?: number; readonly line?: number };
const positions = (summary: SummaryJson): [string, number | undefined, number | undefined][] => (summary.calls as readonly PositionedCall[]).map((c) => [c.path, c.cell, c.line]);

async function runOracle(): Promise<((SummaryJson & { failed_cells: number[] }) | OracleFailure)[]> {
  assertTorchAvailable();
  const jobs = ENTRIES.map((e) => ({ notebook: join(REPO_ROOT, e.notebook), model: e.model, inputs: e.inputs, dtype: 'float' }));
  const run = await runProcess(TORCH_PYTHON, [ORACLE], { input: JSON.stringify(jobs), timeoutMs: 540_000 });
  if (run.error !== undefined || run.status !== 0) throw new Error(`notebook_summary.py failed (${run.error ?? `exit ${run.status}`}): ${run.stderr.slice(-2000)}`);
  return JSON.parse(run.stdout);
}

async function runCli(entry: NotebookEntry): Promise<SummaryJson> {
  const args = ['summary', entry.notebook, '--model', entry.model, ...entry.inputs.flatMap((s) => ['--input', s.join(',')]), '--json'];
  const run = await runProcess(process.execPath, [CLI_BUNDLE, ...args], { cwd: REPO_ROOT, timeoutMs: 60_000 });
  if (run.status !== 0 && run.status !== 1) throw new Error(`ml-notes ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

describe('ml-notes summary on notebooks agrees with PyTorch running the cells in order', () => {
  let oracle: Awaited<ReturnType<typeof runOracle>> = [];
  let cli: SummaryJson[] = [];

  beforeAll(async () => {
    assertCliBuilt();
    [oracle, cli] = await Promise.all([runOracle(), Promise.all(ENTRIES.map(runCli))]);
  }, 600_000);

  it.each(ENTRIES.map((entry, index) => ({ entry, index, name: entry.notebook.replace(/^.*\//, '') })))('$name', ({ entry, index }) => {
    const expected = oracle[index]!;
    if (isOracleFailure(expected)) throw new Error(`PyTorch could not run ${entry.notebook}: ${expected.error}\n${expected.traceback ?? ''}`);
    // The CUDA cells of the functorch notebooks fail here (no GPU); the cells the model needs must not.
    expect(expected.failed_cells.filter((cell) => entry.modelCells.includes(cell))).toEqual([]);
    const actual = cli[index]!;
    const differences = compareSummaries(expected, actual);
    if (differences.length > 0) throw new Error(formatDifferences(entry.notebook, expected, actual));
    expect(positions(actual)).toEqual(positions(expected));
  });
});
