// The editor's worker as the extension host drives it (src/worker/client.ts over dist/analysisWorker.js), timed
// on the 5k bench file: how soon the visible models' hints arrive, how soon a stale analysis stops when a newer
// request for the document arrives, and how soon that newer request is answered. Printed as one JSON object.
import { join } from 'node:path';
import { AnalysisWorkerClient, type AnalyzeOutcome, type AnalyzeRequest } from '../../src/worker/client';
import type { EditorView } from '../../src/core/editor/view';
import type { LineRange } from '../../src/core/editor/visibleModels';
import { DEFAULT_TORCH_VERSION } from '../../src/core/frameworks/torch/version';
import { largeModelFile, linesInsideModels } from './fixture';
import { CODE_CACHE_IDLE_MS } from '../../src/node/codeCache';

const root = process.argv[2] ?? process.cwd();
const workerPath = process.argv[3] ?? join(root, 'dist', 'analysisWorker.js');
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number): number => Math.round(x * 1000) / 1000;

const text = largeModelFile(root);
const path = join(root, 'examples', 'bench_5k.py');
/** The first screen of the file, as an editor shows it when the file is opened. */
const VISIBLE = { start: 0, end: 59 };
/** Every model and the checks get to finish: the times are the analysis's, not the budget's. */
const BUDGET_MS = 120_000;

function request(source: string, extra: Partial<AnalyzeRequest> = {}): AnalyzeRequest {
  return { type: 'analyze', path, text: source, files: new Map(), user: {}, budgetMs: BUDGET_MS, mode: 'full', disabledChecks: [], varianceGainRange: [0.1, 10], torchVersion: DEFAULT_TORCH_VERSION, ...extra };
}

/** A started worker that has answered once (process start and bundle load are not the analysis's time). */
async function warmClient(): Promise<AnalysisWorkerClient> {
  const client = new AnalysisWorkerClient({ workerPath });
  const outcome = await client.analyze('/warm.py', request('x = 1\n', { path: '/warm.py' }));
  if (outcome.kind !== 'result') throw new Error(`the worker did not start: ${outcome.kind}`);
  return client;
}

/** The model classes of `source` (the bench file unless given) with a line in `visible`. */
function classesIn(visible: LineRange, source: string = text): string[] {
  const names: string[] = [];
  let current: string | undefined;
  source.split('\n').forEach((line, i) => {
    const cls = /^class (\w+)/.exec(line);
    if (cls) current = cls[1];
    else if (/^\S/.test(line) && !line.startsWith('#')) current = undefined;
    if (current && i >= visible.start && i <= visible.end && !names.includes(current)) names.push(current);
  });
  return names;
}

/** Whether a view has each of these classes' model (run, or as part of another). */
const shows = (view: EditorView, classes: readonly string[]): boolean => classes.every((name) => view.models.some((m) => m.className === name && (m.expression !== undefined || m.partOf !== undefined || m.error !== undefined)));
const visibleClasses = classesIn(VISIBLE);

/** Opening the file: request -> first view (partial or final) with the visible models, and -> the final view. */
async function firstHints(): Promise<{ hints: number; final: number }> {
  const client = await warmClient();
  const t0 = performance.now();
  let hints: number | undefined;
  const outcome = await client.analyze(path, request(text, { partialView: true, visibleLines: [VISIBLE] }), (view) => {
    if (hints === undefined && shows(view, visibleClasses)) hints = performance.now() - t0;
  });
  const final = performance.now() - t0;
  client.dispose();
  if (outcome.kind !== 'result') throw new Error(`first analysis: ${outcome.kind}`);
  return { hints: hints ?? final, final };
}

/** A layer width changed in the middle of the file (the user typing while the analysis runs), and the screen around it. */
const edit = ((): { text: string; visible: LineRange } => {
  const lines = text.split('\n');
  const at = lines.findIndex((l, i) => i > lines.length / 2 && /^\s+self\.\w+ = nn\.\w+\(.*\d/.test(l));
  if (at < 0) throw new Error('no layer line to edit in the second half of the bench file');
  lines[at] = lines[at]!.replace(/\d/, (d) => String(d === '9' ? 8 : Number(d) + 1));
  return { text: lines.join('\n'), visible: { start: at - 30, end: at + 29 } };
})();
const editedClasses = classesIn(edit.visible);

/**
 * A newer request arrives `afterMs` into a full analysis of the file: ms until the stale request is answered
 * (superseded, or its full result where it cannot be stopped), and until the newer one is.
 */
async function cancellation(afterMs: number): Promise<{ stop: number; newerHints: number; newer: number; stale: AnalyzeOutcome['kind'] }> {
  const client = await warmClient();
  const stale = client.analyze(path, request(text, { partialView: true, visibleLines: [VISIBLE] }));
  await new Promise((resolve) => setTimeout(resolve, afterMs));
  const t0 = performance.now();
  let newerHints: number | undefined;
  const newer = client.analyze(path, request(edit.text, { partialView: true, visibleLines: [edit.visible] }), (view) => {
    if (newerHints === undefined && shows(view, editedClasses)) newerHints = performance.now() - t0;
  });
  const staleOutcome = await stale;
  const stop = performance.now() - t0;
  const newerOutcome = await newer;
  const answered = performance.now() - t0;
  client.dispose();
  if (newerOutcome.kind !== 'result') throw new Error(`newer request: ${newerOutcome.kind}`);
  return { stop, newerHints: newerHints ?? answered, newer: answered, stale: staleOutcome.kind };
}

/** Per keystroke, ms from the request to the first view holding the edited screen's classes, and to the full answer. */
interface KeystrokeTimes {
  readonly hints: number[];
  readonly answers: number[];
}

/**
 * Typing in a file: `count` one-line edits inside models (a digit up by one, each edit kept), each sent when the
 * last was answered, as the extension sends them (partial views, the screen around the edit): ms from the request
 * to the first view (partial or final) holding the model classes of the screen around the edit (the hints the user
 * looks at), and to the full answer (every model and the checks' findings), after the file's first answer.
 */
async function keystrokes(client: AnalysisWorkerClient, source: string, file: string, count: number): Promise<KeystrokeTimes> {
  const first = await client.analyze(file, request(source, { path: file, partialView: true, visibleLines: [VISIBLE] }));
  if (first.kind !== 'result') throw new Error(`first analysis of ${file}: ${first.kind}`);
  const candidates = linesInsideModels(source);
  let current = source;
  const hints: number[] = [];
  const answers: number[] = [];
  for (let k = 0; k < count; k++) {
    const line = candidates[Math.floor(((k + 0.5) * candidates.length) / count)]!;
    const copy = current.split('\n');
    copy[line] = copy[line]!.replace(/\d/, (d) => String(d === '9' ? 8 : Number(d) + 1));
    current = copy.join('\n');
    const screen = { start: Math.max(0, line - 30), end: line + 29 };
    const onScreen = classesIn(screen, current);
    const t0 = performance.now();
    let shown: number | undefined;
    const outcome = await client.analyze(file, request(current, { path: file, partialView: true, visibleLines: [screen] }), (view) => {
      if (shown === undefined && shows(view, onScreen)) shown = performance.now() - t0;
    });
    const answered = performance.now() - t0;
    answers.push(answered);
    hints.push(shown ?? answered);
    if (outcome.kind !== 'result') throw new Error(`edit ${k} of ${file}: ${outcome.kind}`);
  }
  return { hints, answers };
}

/** The keystrokes of a file in a started worker that has answered nothing else (its code not yet optimised by V8). */
async function freshWorkerKeystrokes(source: string, file: string, count: number): Promise<KeystrokeTimes> {
  const client = await warmClient();
  try {
    return await keystrokes(client, source, file, count);
  } finally {
    client.dispose();
  }
}

/**
 * The keystrokes of both files in one worker that first did what the in-process part (core.ts) does before its
 * edits: three first views of the 5k file (each from nothing, as a fresh analyzer's: the document is closed after
 * it), then the 5k file's edits before the small file's. V8 optimises the analysis's code over the first tens of
 * edits, so a fresh worker's keystrokes (editor_edit_worker_ms_*) are slower than the in-process keys for that
 * alone; these compare the worker with the in-process keys like for like.
 */
async function warmedWorkerKeystrokes(small: { readonly source: string; readonly file: string }, count: number): Promise<{ large: KeystrokeTimes; small: KeystrokeTimes }> {
  const client = await warmClient();
  try {
    for (let i = 0; i < 3; i++) {
      const outcome = await client.analyze(path, request(text, { partialView: true, visibleLines: [VISIBLE] }));
      if (outcome.kind !== 'result') throw new Error(`first analysis ${i} of the warmed worker: ${outcome.kind}`);
      client.close(path);
    }
    const large = await keystrokes(client, text, path, count);
    return { large, small: await keystrokes(client, small.source, small.file, count) };
  } finally {
    client.dispose();
  }
}

/**
 * A worker that opens the bench file and then sits idle until it has stored its code cache
 * (src/worker/analysisWorkerLoader.ts), as the editor's worker does after the first file a user opens.
 */
async function storeCodeCache(): Promise<void> {
  const client = await warmClient();
  await client.analyze(path, request(text));
  await new Promise((resolve) => setTimeout(resolve, CODE_CACHE_IDLE_MS + 1000));
  client.dispose();
}

/** A first view by a worker started without its code cache (as on the first start after an install or update). */
async function firstHintsWithoutCodeCache(): Promise<{ hints: number; final: number }> {
  process.env.ML_NOTES_NO_CODE_CACHE = '1';
  try {
    return await firstHints();
  } finally {
    delete process.env.ML_NOTES_NO_CODE_CACHE;
  }
}

async function main(): Promise<void> {
  await storeCodeCache();
  const firsts: { hints: number; final: number }[] = [];
  const firstsWithoutCache: { hints: number; final: number }[] = [];
  // In turns, so both meet the same machine load.
  for (let i = 0; i < 3; i++) {
    firsts.push(await firstHints());
    firstsWithoutCache.push(await firstHintsWithoutCodeCache());
  }
  const finalMs = median(firsts.map((f) => f.final));
  const cancels: Awaited<ReturnType<typeof cancellation>>[] = [];
  // Halfway through a full analysis of the file.
  for (let i = 0; i < 3; i++) cancels.push(await cancellation(finalMs / 2));
  const edits5k = await freshWorkerKeystrokes(text, path, 20);
  const small = { source: largeModelFile(root, 300), file: join(root, 'examples', 'bench_small.py') };
  const editsSmall = await freshWorkerKeystrokes(small.source, small.file, 20);
  const warmed = await warmedWorkerKeystrokes(small, 20);

  process.stdout.write(
    JSON.stringify({
      editor_first_hints_ms_5k: round(median(firsts.map((f) => f.hints))),
      editor_first_worker_ms_5k: round(finalMs),
      editor_first_worker_nocodecache_ms_5k: round(median(firstsWithoutCache.map((f) => f.final))),
      editor_visible_models_5k: visibleClasses.length,
      editor_cancel_ms_5k: round(median(cancels.map((c) => c.stop))),
      editor_newer_hints_ms_5k: round(median(cancels.map((c) => c.newerHints))),
      editor_newer_answer_ms_5k: round(median(cancels.map((c) => c.newer))),
      editor_cancel_stale_outcomes_5k: cancels.map((c) => c.stale),
      editor_edit_worker_ms_5k: round(median(edits5k.answers)),
      editor_edit_worker_ms_small: round(median(editsSmall.answers)),
      editor_edit_worker_hints_ms_5k: round(median(edits5k.hints)),
      editor_edit_worker_hints_ms_small: round(median(editsSmall.hints)),
      editor_edit_worker_warm_ms_5k: round(median(warmed.large.answers)),
      editor_edit_worker_warm_ms_small: round(median(warmed.small.answers)),
    }),
  );
}

void main();
