// The editor's analysis over real files, as the worker runs it after the user opens a file and types in it: per
// file the first view, then a keystroke (a space typed at the end of a line in the middle of the first class, with
// the first parse and the same analyzer kept, as the worker keeps them). Imports are read from the disk around the
// file. No deadline (the time is the analysis's own), the worker's step budget. Prints one JSON line per file with
// the main thread's processor time and a digest of each view (times left out), so two trees can be compared file by
// file (scripts/corpus/survey-editor.mjs --diff). Run by scripts/corpus/survey-editor.mjs after bundling.
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAnalyzer, parseDocument } from '../../src/core/index';
import type { Analyzer } from '../../src/core/index';
import type { ParsedDocument } from '../../src/core/python/parse';
import { analyzeForEditor } from '../../src/core/editor/documentAnalysis';
import { editorView, type EditorView } from '../../src/core/editor/view';

/** The worker's step budget (src/worker/analysisWorker.ts); its deadline is left out. */
const BUDGET = { ms: 120_000, steps: 2_000_000 };
const SLEEP_CELL = new Int32Array(new SharedArrayBuffer(4));

/** This thread's processor time in ms (Linux); see threadCpuMs in scripts/bench/core.ts for why it sleeps 10 µs. */
function threadCpuMs(): number {
  Atomics.wait(SLEEP_CELL, 0, 0, 0.01);
  return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
}

function pythonFiles(dir: string): string[] {
  if (statSync(dir).isFile()) return [dir];
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...pythonFiles(path));
    else if (entry.name.endsWith('.py')) found.push(path);
  }
  return found;
}

/** A digest of a view without its timings, which differ from run to run. */
const viewDigest = (view: EditorView): string =>
  createHash('sha1').update(JSON.stringify(view, (key, value) => (/Ms$|^elapsed/.test(key) ? undefined : value))).digest('hex').slice(0, 16);

/** The text with a space typed at the end of a line in the middle of the first class (else of the file). */
function keystroke(text: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^class \w/.test(l));
  let end = lines.length;
  if (start >= 0) for (let i = start + 1; i < lines.length; i++) if (/^\S/.test(lines[i]!) && !lines[i]!.startsWith('#')) { end = i; break; }
  const from = Math.max(start, 0);
  const line = from + Math.floor((end - from) / 2);
  lines[line] = `${lines[line]} `;
  return lines.join('\n');
}

interface Answer { readonly parsed: ParsedDocument; readonly view: EditorView; readonly cpuMs: number }

function answer(analyzer: Analyzer, path: string, text: string, previous: ParsedDocument | undefined): Answer {
  const readFile = (p: string): string | undefined => (existsSync(p) && statSync(p).isFile() ? readFileSync(p, 'utf8') : undefined);
  const t0 = threadCpuMs();
  const parsed = parseDocument(text, previous);
  const view = editorView(analyzeForEditor(analyzer, parsed.module, { path, text, parsed, readFile, user: {}, budget: BUDGET, checks: { disabled: [] }, varianceGainRange: [0.1, 10] }));
  return { parsed, view, cpuMs: threadCpuMs() - t0 };
}

const [, , outFile, ...rest] = process.argv;
const fresh = rest.includes('--fresh');
const only = rest.includes('--only') ? rest[rest.indexOf('--only') + 1]! : undefined;
const dirs = rest.filter((a, i) => !a.startsWith('--') && rest[i - 1] !== '--only');
const files = dirs.flatMap(pythonFiles).filter((f) => !only || f.includes(only));
writeFileSync(outFile!, '');
for (const path of files) {
  const text = readFileSync(path, 'utf8');
  const analyzer = createAnalyzer();
  const first = answer(analyzer, path, text, undefined);
  const edited = keystroke(text);
  const edit = answer(analyzer, path, edited, first.parsed);
  const models = first.view.models;
  const line: Record<string, unknown> = {
    path,
    firstMs: Math.round(first.cpuMs * 10) / 10,
    editMs: Math.round(edit.cpuMs * 10) / 10,
    models: models.length,
    built: models.filter((m) => m.expression !== undefined).length,
    ran: models.filter((m) => m.output !== undefined).length,
    findings: first.view.findings.length,
    digest: viewDigest(first.view),
    editDigest: viewDigest(edit.view),
  };
  // The keystroke's view against a fresh analyzer's view of the same text: reuse must not change the answer.
  if (fresh) line.editFreshDigest = viewDigest(answer(createAnalyzer(), path, edited, undefined).view);
  appendFileSync(outFile!, `${JSON.stringify(line)}\n`);
}
