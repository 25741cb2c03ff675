// Ground truth for `ml-notes annotate` (the editor's inlay hints): the examples, corpus models and the
// installed Debian torchvision's own files are run by real PyTorch with a line tracer
// (line_values.py), and every statement hint the CLI prints must name exactly the values PyTorch's run
// produced on that line; every loop hint the sequence of the carried variable. A `?` (unknown) is
// counted, never accepted as a number; a missing hint on a line that produced a tensor is counted too,
// and the examples must have none. Expected values come only from PyTorch, at test time.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI_BUNDLE, REPO_ROOT, assertCliBuilt } from './lib/cli';
import { CORPUS_DIR, loadManifest } from './lib/manifest';
import { mapLimited, runProcess } from './lib/process';
import { TORCH_PYTHON, assertTorchAvailable } from './lib/torchOracle';

interface Job {
  readonly name: string;
  readonly file: string;
  readonly model: string;
  readonly inputs: readonly (readonly number[])[];
  readonly dtype: 'float' | 'long';
  readonly package?: string;
  /** Every line that produced a tensor must have its hint (no unknowns, no gaps). */
  readonly complete?: boolean;
}

interface LineValues {
  readonly statements: Readonly<Record<string, readonly string[]>>;
  readonly loops: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

interface AnnotateJson {
  readonly hints: readonly { readonly line: number; readonly character: number; readonly label: string }[];
}

const EXAMPLES = join(REPO_ROOT, 'examples');
const INSTALLED_TORCHVISION = '/usr/lib/python3/dist-packages/torchvision/models';

const examples: Job[] = [
  { name: 'examples/resnet.py', file: join(EXAMPLES, 'resnet.py'), model: 'resnet18()', inputs: [[1, 3, 224, 224]], dtype: 'float', complete: true },
  { name: 'examples/transformer.py', file: join(EXAMPLES, 'transformer.py'), model: 'GPT()', inputs: [[2, 64]], dtype: 'long', complete: true },
  { name: 'examples/train.py', file: join(EXAMPLES, 'train.py'), model: 'SmallCNN()', inputs: [[4, 3, 32, 32]], dtype: 'float', complete: true },
  { name: 'examples/unet.py', file: join(EXAMPLES, 'unet.py'), model: 'UNet()', inputs: [[1, 3, 64, 64]], dtype: 'float', complete: true },
  { name: 'fixtures/indexing.py', file: join(REPO_ROOT, 'test/oracle/lib/fixtures/indexing.py'), model: 'Indexing()', inputs: [[2, 16, 128]], dtype: 'float', complete: true },
];

/** Corpus models written the ways real code is (blocks, loops over blocks, residuals, attention, RNNs, functional ops). */
const CORPUS_NAMES = ['resnet18', 'vit-small', 'gpt', 'unet-odd-size', 'mlp-mixer', 'densenet-like', 'mobilenetv2', 'lstm-tagger', 'gru-seq2seq', 'cross-attention', 'transformer-decoder', 'dcgan-generator', 'torchvision-resnet18', 'torchvision-densenet121', 'torchvision-googlenet', 'torchvision-mobilenet-v3-small', 'torchvision-squeezenet1-0', 'torchvision-shufflenet-v2-x1-0', 'torchvision-efficientnet-b0', 'torchvision-swin-t'];
const corpus: Job[] = loadManifest()
  .filter((e) => CORPUS_NAMES.includes(e.name))
  .map((e) => ({ name: e.name, file: join(CORPUS_DIR, e.file), model: e.model, inputs: e.inputs, dtype: e.dtype, ...(e.package ? { package: e.package } : {}) }));

/** Files of the installed Debian package itself, read at test time (never copied into the repository). */
const installed: Job[] = ([
  { name: 'installed torchvision resnet.py resnet34()', file: join(INSTALLED_TORCHVISION, 'resnet.py'), model: 'resnet34()', inputs: [[1, 3, 224, 224]], dtype: 'float' },
  { name: 'installed torchvision vision_transformer.py vit_b_16()', file: join(INSTALLED_TORCHVISION, 'vision_transformer.py'), model: 'vit_b_16()', inputs: [[1, 3, 224, 224]], dtype: 'float' },
] satisfies Job[]).filter((j) => existsSync(j.file));

const jobs = [...examples, ...corpus, ...installed];

function annotateArgs(job: Job): string[] {
  return ['annotate', job.file, '--model', job.model, ...job.inputs.flatMap((s) => ['--input', s.join(',')]), '--dtype', job.dtype, '--json'];
}

/** `→ A | B | … (4 shapes) (assumed)` → the shapes shown and how many distinct values there are. */
export function parseStatementLabel(label: string): { shown: string[]; count: number } {
  const body = label.replace(/^→ /, '').replace(/ \(assumed\)$/, '');
  const more = / \| … \((\d+) shapes\)$/.exec(body);
  const shown = (more ? body.slice(0, more.index) : body).split(' | ');
  return { shown, count: more ? Number(more[1]) : shown.length };
}

/** `→ S ×4`, `→ S1 ×2 → S2 ×2`, `→ S1 → … → S3 (6 iterations)` → runs as [text, count] (the middle elided). */
function parseLoopLabel(label: string): { runs: [string, number][]; elided?: number } {
  const body = label.replace(/^→ /, '').replace(/ \(assumed\)$/, '');
  const elided = / \((\d+) iterations\)$/.exec(body);
  const parts = (elided ? body.slice(0, elided.index) : body).split(' → ').filter((p) => p !== '…');
  const runs = parts.map((p): [string, number] => {
    const m = / ×(\d+)$/.exec(p);
    return m ? [p.slice(0, m.index), Number(m[1])] : [p, 1];
  });
  return elided ? { runs, elided: Number(elided[1]) } : { runs };
}

function runsOf(values: readonly string[]): [string, number][] {
  const out: [string, number][] = [];
  for (const v of values) {
    const last = out[out.length - 1];
    if (last && last[0] === v) last[1]++;
    else out.push([v, 1]);
  }
  return out;
}

interface Verdict {
  readonly checked: number;
  readonly unknown: number;
  readonly missing: string[];
  readonly wrong: string[];
}

function compare(job: Job, ours: AnnotateJson, truth: LineValues): Verdict {
  const wrong: string[] = [];
  const missing: string[] = [];
  let checked = 0;
  let unknown = 0;
  const hintsByLine = new Map<number, string[]>();
  for (const h of ours.hints) hintsByLine.set(h.line, [...(hintsByLine.get(h.line) ?? []), h.label]);
  const loopLines = new Set(Object.keys(truth.loops).map(Number));
  for (const [line, record] of Object.entries(truth.loops)) {
    const names = Object.keys(record);
    const labels = hintsByLine.get(Number(line)) ?? [];
    if (names.length !== 1) continue;
    const label = labels[0];
    const values = record[names[0]!]!;
    if (!label) {
      missing.push(`${line}: loop carrying ${names[0]} ${values.join(', ')}`);
      continue;
    }
    if (label.includes('?')) {
      unknown++;
      continue;
    }
    checked++;
    const expected = runsOf(values);
    const parsed = parseLoopLabel(label);
    const matches = parsed.elided === undefined
      ? JSON.stringify(parsed.runs) === JSON.stringify(expected)
      : parsed.elided === values.length && JSON.stringify(parsed.runs) === JSON.stringify([expected[0], expected[expected.length - 1]]);
    if (!matches) wrong.push(`${line}: loop hint "${label}", PyTorch: ${values.join(', ')}`);
  }
  for (const [line, values] of Object.entries(truth.statements)) {
    const holdsTensor = values.some((v) => v.includes('['));
    const labels = (hintsByLine.get(Number(line)) ?? []).filter(() => !loopLines.has(Number(line)));
    if (labels.length === 0) {
      // A statement a loop hint stands for (its carried variable's last assignment) shows on the loop line.
      const coveredByLoop = Object.entries(truth.loops).some(([, record]) => Object.values(record).some((seq) => JSON.stringify([...new Set(seq)]) === JSON.stringify([...new Set(values)])));
      if (holdsTensor && !coveredByLoop) missing.push(`${line}: ${[...new Set(values)].join(' | ')}`);
      continue;
    }
    const label = labels[labels.length - 1]!;
    if (label.includes('?')) {
      unknown++;
      continue;
    }
    checked++;
    const distinct = [...new Set(values)];
    const { shown, count } = parseStatementLabel(label);
    if (count !== distinct.length || JSON.stringify(shown) !== JSON.stringify(distinct.slice(0, shown.length))) {
      wrong.push(`${line}: hint "${label}", PyTorch: ${distinct.join(' | ')}`);
    }
  }
  void job;
  return { checked, unknown, missing, wrong };
}

describe('ml-notes annotate against PyTorch, line by line', () => {
  let truths: (LineValues | { error: string })[] = [];
  const outputs = new Map<string, AnnotateJson | string>();

  beforeAll(async () => {
    assertCliBuilt();
    assertTorchAvailable();
    const oracle = runProcess(TORCH_PYTHON, [join(REPO_ROOT, 'test/oracle/line_values.py'), '--batch'], {
      input: JSON.stringify(jobs.map((j) => ({ file: j.file, model: j.model, inputs: j.inputs, dtype: j.dtype, ...(j.package ? { package: j.package } : {}) }))),
      timeoutMs: 300_000,
    });
    await mapLimited(jobs, 2, async (job) => {
      const run = await runProcess(process.execPath, [CLI_BUNDLE, ...annotateArgs(job)], { cwd: REPO_ROOT, timeoutMs: 60_000 });
      outputs.set(job.name, run.status === 0 || run.status === 1 ? (JSON.parse(run.stdout) as AnnotateJson) : `exit ${run.status}: ${run.stderr}`);
    });
    const done = await oracle;
    if (done.status !== 0) throw new Error(`line_values.py failed: ${done.stderr.slice(-2000)}`);
    truths = JSON.parse(done.stdout) as (LineValues | { error: string })[];
  }, 600_000);

  it.each(jobs.map((job, i) => [job.name, job, i] as const))('%s', (_name, job, i) => {
    const truth = truths[i]!;
    if ('error' in truth) throw new Error(`PyTorch could not run ${job.model}: ${truth.error}`);
    const ours = outputs.get(job.name)!;
    if (typeof ours === 'string') throw new Error(`ml-notes ${annotateArgs(job).join(' ')}: ${ours}`);
    const verdict = compare(job, ours, truth);
    console.log(`${job.name}: ${verdict.checked} hints equal PyTorch, ${verdict.unknown} unknown, ${verdict.missing.length} lines without a hint${verdict.missing.length ? ` (${verdict.missing.slice(0, 5).join("; ")})` : ""}`);
    expect(verdict.wrong, `hints that disagree with PyTorch:\n${verdict.wrong.join('\n')}`).toEqual([]);
    if (job.complete) {
      expect(verdict.missing, 'lines that produced a tensor without a hint').toEqual([]);
      expect(verdict.unknown).toBe(0);
    }
    expect(verdict.checked).toBeGreaterThan(0);
  });
});
