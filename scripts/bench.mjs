// `npm run bench`: measures the speed targets and prints one JSON object. In-process core timings come
// from scripts/bench/core.ts (bundled here with esbuild); the CLI, PyTorch and extension activation are
// timed as whole processes, side by side in the same run.
import * as esbuild from 'esbuild';
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

const root = process.cwd();
const work = mkdtempSync(join(tmpdir(), 'ml-notes-bench-'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x) => Math.round(x * 1000) / 1000;

function wallMs(command, args, options = {}) {
  const t0 = performance.now();
  const r = spawnSync(command, args, { encoding: 'utf8', ...options });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${r.stderr}`);
  return [ms, r.stdout];
}

// Production bundles, as users get them.
execFileSync('node', ['esbuild.config.mjs', '--production'], { stdio: 'ignore' });

// ResNet-50 as torchvision writes it: the installed torchvision's resnet.py (what `ml-notes summary` reads
// from the user's environment), else the copy in the test corpus.
const installedResnet = '/usr/lib/python3/dist-packages/torchvision/models/resnet.py';
const resnet = existsSync(installedResnet) ? installedResnet : join(root, 'test/oracle/corpus/torchvision/models/resnet.py');
const sitePackages = existsSync(installedResnet) ? '/usr/lib/python3/dist-packages' : '';

await esbuild.build({ entryPoints: ['scripts/bench/core.ts'], bundle: true, platform: 'node', format: 'cjs', outfile: join(work, 'core.cjs'), logLevel: 'error' });
const core = JSON.parse(execFileSync('node', [join(work, 'core.cjs'), root, resnet, sitePackages], { encoding: 'utf8', maxBuffer: 1 << 26 }));
// Scale in a process of its own, so the heap it reports is the analysis's.
await esbuild.build({ entryPoints: ['scripts/bench/scale.ts'], bundle: true, platform: 'node', format: 'cjs', outfile: join(work, 'scale.cjs'), logLevel: 'error' });
const scale = JSON.parse(execFileSync('node', ['--expose-gc', join(work, 'scale.cjs'), root], { encoding: 'utf8', maxBuffer: 1 << 26 }));
// The worker process as the extension host drives it (partial views, cancellation), over the production bundle.
await esbuild.build({ entryPoints: ['scripts/bench/worker.ts'], bundle: true, platform: 'node', format: 'cjs', outfile: join(work, 'worker.cjs'), logLevel: 'error' });
// Its code cache goes to a folder of this run (filled by the worker part's first worker), not the user's.
const worker = JSON.parse(execFileSync('node', [join(work, 'worker.cjs'), root, join(root, 'dist', 'analysisWorker.js')], { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, XDG_CACHE_HOME: join(work, 'worker-cache') } }));

// Our CLI against PyTorch importing, building and running the same model, as whole processes, taken in
// turns so both meet the same machine load.
const torchScript = `
import time
t0 = time.perf_counter()
import torch, torchvision
torch.set_num_threads(1)
m = torchvision.models.resnet50()
m.eval()
with torch.no_grad():
    y = m(torch.zeros(1, 3, 224, 224))
print(sum(p.numel() for p in m.parameters()))
`;
const cliRuns = [];
const torchRuns = [];
let cliParams = null;
let torchParams = null;
// The CLI's caches live in a folder of this run: the first run fills the parse cache, the others read it (as a
// user's second and later runs do); --no-result-cache runs the analysis each time, the runs with --no-cache parse
// everything, and the runs with neither answer from the result cache after the first (which keeps its answer).
const cliEnv = { ...process.env, XDG_CACHE_HOME: join(work, 'cache') };
const cliArgs = ['dist/cli.js', 'summary', resnet, '--model', 'resnet50()', '--input', '1,3,224,224', '--json'];
const cliNoCacheRuns = [];
const cliCachedRuns = [];
const cliCachedCpu = [];
for (let i = 0; i < 5; i++) {
  const [ms, out] = wallMs('node', [...cliArgs, '--no-result-cache'], { env: cliEnv });
  if (i > 0) cliRuns.push(ms);
  cliParams = JSON.parse(out).params;
  cliNoCacheRuns.push(wallMs('node', [...cliArgs, '--no-cache'], { env: cliEnv })[0]);
  const cpuBefore = childrenCpuMs();
  const [cachedMs, cachedOut] = wallMs('node', cliArgs, { env: cliEnv });
  const cpuAfter = childrenCpuMs();
  if (cachedOut !== out) throw new Error('the result cache answered the ResNet-50 summary otherwise than the analysis');
  if (i > 0) {
    cliCachedRuns.push(cachedMs);
    if (cpuBefore !== null && cpuAfter !== null) cliCachedCpu.push(cpuAfter - cpuBefore);
  }
  if (i < 3) {
    // The oracle's interpreter, chosen as in test/oracle/lib/python.ts.
    const [torchMs, torchOut] = wallMs(process.env.ML_NOTES_PYTHON || '/usr/bin/python3', ['-c', torchScript]);
    torchRuns.push(torchMs);
    torchParams = Number(torchOut.trim());
  }
}

// `ml-notes check` over the checks' real-code corpus (test/checks-eval/corpus.json: Debian's PyTorch,
// torchvision, torchaudio, torchtext and skorch sources), as a whole process with its default worker threads:
// a first run fills the parse cache and the result cache, then the analysis (--no-result-cache) and the kept answers
// are timed. CPU time is the children's from /proc (Linux).
function corpusPythonFiles() {
  const { sources } = JSON.parse(readFileSync('test/checks-eval/corpus.json', 'utf8'));
  const walk = (path) => {
    if (!existsSync(path)) return [];
    if (statSync(path).isFile()) return path.endsWith('.py') ? [path] : [];
    return readdirSync(path, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? (e.name === '__pycache__' ? [] : walk(join(path, e.name))) : e.name.endsWith('.py') ? [join(path, e.name)] : []))
      .sort();
  };
  return sources.flatMap((s) => s.dirs.flatMap((d) => walk(join(s.root.startsWith('/') ? s.root : join(root, s.root), d))));
}
/** CPU seconds of this process's finished children (utime + stime of waited-for children), where /proc has it. */
function childrenCpuMs() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    // Fields 16 and 17 of the whole line (cutime, cstime) are 14 and 15 after the command name, in clock ticks.
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return null;
  }
}
const corpus = corpusPythonFiles();
let checkCorpus = {};
if (corpus.length > 0) {
  const checkArgs = ['dist/cli.js', 'check', ...corpus, '--json'];
  // The first run fills the parse cache and keeps every file's answer and the run's (the result cache); the
  // analysis is timed with --no-result-cache, then the run answered from the kept answers.
  wallMsAllowingFindings(checkArgs);
  const [ms, findings, cpu, stdout] = wallMsAllowingFindings([...checkArgs, '--no-result-cache']);
  const [cachedMs, cachedFindings, cachedCpu, cachedStdout] = wallMsAllowingFindings(checkArgs);
  if (cachedStdout !== stdout) throw new Error('the result cache answered the corpus check otherwise than the analysis');
  // One file edited: a copy of the corpus's middle file stands in for it, and is edited between two runs.
  const edited = Math.floor(corpus.length / 2);
  const copy = join(work, 'edited', basename(corpus[edited]));
  mkdirSync(join(work, 'edited'), { recursive: true });
  writeFileSync(copy, readFileSync(corpus[edited]));
  const editArgs = ['dist/cli.js', 'check', ...corpus.map((path, i) => (i === edited ? copy : path)), '--json'];
  wallMsAllowingFindings(editArgs);
  appendFileSync(copy, '\n# edited\n');
  const [editMs, , editCpu] = wallMsAllowingFindings(editArgs);
  checkCorpus = {
    check_corpus_files: corpus.length,
    check_corpus_ms: round(ms),
    check_corpus_cpu_ms: cpu,
    check_corpus_findings: findings,
    check_300_files_ms: round((ms * 300) / corpus.length),
    check_corpus_cached_ms: round(cachedMs),
    check_corpus_cached_cpu_ms: cachedCpu,
    check_corpus_cached_findings: cachedFindings,
    check_corpus_one_edit_ms: round(editMs),
    check_corpus_one_edit_cpu_ms: editCpu,
  };
}
/** `check` exits 1 when it finds something: the run's wall time, its number of findings, its CPU time and its output. */
function wallMsAllowingFindings(args) {
  const cpuBefore = childrenCpuMs();
  const t0 = performance.now();
  const r = spawnSync('node', args, { encoding: 'utf8', env: cliEnv, maxBuffer: 1 << 28 });
  const ms = performance.now() - t0;
  const cpuAfter = childrenCpuMs();
  if (r.status !== 0 && r.status !== 1) throw new Error(`node ${args.slice(0, 3).join(' ')} ... failed: ${r.stderr}`);
  return [ms, JSON.parse(r.stdout).findings.length, cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore, r.stdout];
}

// Activation: load the production extension bundle against a stand-in `vscode` module whose API calls
// return disposables, and time require + activate() (what VS Code's own activation time measures).
const stub = join(work, 'activate.cjs');
writeFileSync(
  stub,
  `const Module = require('module');
const disposable = { dispose() {} };
const fn = () => api;
const api = new Proxy(function () {}, {
  get: (_t, key) => (key === 'then' ? undefined : key === 'dispose' ? () => {} : key === Symbol.toPrimitive ? () => 'stub' : key === 'fsPath' ? '${root}' : api),
  set: () => true,
  apply: () => api,
  construct: () => api,
});
const vscodeStub = Object.fromEntries(['window', 'workspace', 'languages', 'commands', 'env', 'extensions', 'Uri', 'EventEmitter', 'Disposable', 'StatusBarAlignment', 'TreeItem', 'TreeItemCollapsibleState', 'ThemeIcon', 'MarkdownString', 'Range', 'Position', 'Hover', 'InlayHint', 'InlayHintKind', 'CodeLens', 'Diagnostic', 'DiagnosticSeverity', 'ViewColumn', 'QuickInputButtons', 'InputBoxValidationSeverity', 'SnippetString', 'RelativePattern', 'CodeActionKind', 'CodeAction', 'WorkspaceEdit', 'Location', 'DiagnosticRelatedInformation', 'Selection', 'TabInputWebview', 'l10n', 'NotebookCellKind', 'NotebookEdit', 'ThemeColor', 'FileType', 'ProgressLocation', 'ConfigurationTarget'].map((k) => [k, api]));
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'vscode' ? vscodeStub : load.call(this, request, ...rest); };
const t0 = performance.now();
const ext = require(${JSON.stringify(join(root, 'dist/extension.js'))});
const context = { subscriptions: { push() {} }, extensionUri: api, workspaceState: { get: (_k, d) => d, update: async () => {} }, globalState: { get: (_k, d) => d, update: async () => {} } };
ext.activate(context);
process.stdout.write(String(performance.now() - t0));
void disposable; void fn;
process.exit(0);
`,
);
const activation = [];
for (let i = 0; i < 5; i++) activation.push(Number(execFileSync('node', [stub], { encoding: 'utf8' })));

const cli = median(cliRuns);
const torch = median(torchRuns);
console.log(
  JSON.stringify(
    {
      ...core,
      ...scale,
      ...checkCorpus,
      ...worker,
      // The analysis as the editor runs it (an analyzer that keeps parses), fresh in a loaded process, and as a CLI process.
      summary_resnet50_ms: core.summary_resnet50_analyzer_ms,
      summary_resnet50_cli_ms: round(cli),
      summary_resnet50_cli_nocache_ms: round(median(cliNoCacheRuns)),
      speedup_vs_pytorch_cli_nocache: round(torch / median(cliNoCacheRuns)),
      summary_resnet50_cli_cached_ms: round(median(cliCachedRuns)),
      summary_resnet50_cli_cached_cpu_ms: cliCachedCpu.length > 0 ? median(cliCachedCpu) : null,
      speedup_vs_pytorch_cli_cached: round(torch / median(cliCachedRuns)),
      node_startup_ms: round(median([0, 1, 2].map(() => wallMs('node', ['-e', '0'])[0]))),
      pytorch_resnet50_ms: round(torch),
      speedup_vs_pytorch: round(torch / core.summary_resnet50_analyzer_ms),
      speedup_vs_pytorch_fresh: round(torch / core.summary_resnet50_inprocess_ms),
      speedup_vs_pytorch_cli: round(torch / cli),
      summary_resnet50_params: cliParams,
      pytorch_resnet50_params: torchParams,
      activation_ms: round(median(activation)),
      extension_bundle_bytes: statSync('dist/extension.js').size,
      worker_bundle_bytes: statSync('dist/analysisWorker-main.js').size,
      cli_bundle_bytes: statSync('dist/cli-main.js').size,
      resnet50_file: resnet,
      method: [
        'All numbers come from this one run on this machine (see machine.loadavg); compare ratios, not absolute times across runs.',
        'editor_first_ms_5k: a fresh analyzer answers the 5,000-line, 60-model bench file as the worker does (parse, module scope, every model, checks, rendered view and its copy), median of 3.',
        '*_thread_cpu_ms / *_process_cpu_ms next to editor_first_ms_5k, editor_edit_ms_5k and editor_edit_ms_small: the same runs\' processor time (medians), of the thread that analyses (Linux /proc/thread-self/schedstat; null elsewhere) and of the whole process (process.cpuUsage: V8\'s compiler and garbage-collector threads included). On 2 cores the wall time of a run is more than its thread\'s time when those threads and other jobs take the cores; a run whose process time far exceeds its thread\'s is paying V8\'s optimising compiler (a fresh process).',
        'editor_edit_ms_5k: median of 20 one-line edits inside model classes (a digit changed, each edit kept), each answered in full by the same analyzer after its first answer; editor_edit_ms_small: the same on the ~350-line file of the four examples.',
        'summary_resnet50_cli_ms: `node dist/cli.js summary <installed torchvision resnet.py> --model resnet50() --input 1,3,224,224 --json` with --no-result-cache (the analysis runs) as a whole process with its parse cache filled by a first run (median of 4 after it); summary_resnet50_cli_nocache_ms: the same with --no-cache (median of 5); summary_resnet50_cli_cached_ms: the same command without either flag, answered from the result cache (every file it read checked unchanged, the bundle not loaded; the first of 5 runs keeps the answer, median of the 4 after it, output compared byte for byte with the analysed run), summary_resnet50_cli_cached_cpu_ms their CPU time (from /proc, 10 ms ticks); speedup_vs_pytorch_cli_cached = pytorch_resnet50_ms / summary_resnet50_cli_cached_ms; node_startup_ms: `node -e 0`; pytorch_resnet50_ms: python3 importing torch and torchvision, building resnet50 and running it once, median of 3, taken in turns with the CLI runs.',
        'Scale (scripts/bench/scale.ts, its own process): editor_first_ms_50k / editor_edit_ms_50k answer a ~50,000-line file as the worker does under its default time budget (budget_ms), editor_parsed_lines_50k is how far that answer got, worker_heap_mb_* the heap after a GC; workspace_*: 2,000 Python files on disk, the open document imports two (workspace_files_read counts the files read).',
        'check_corpus_ms: `node dist/cli.js check <every .py file of the checks corpus> --json --no-result-cache` (the analysis runs) as a whole process with its default worker threads (one per core), parse cache filled by a first run, one timed run; check_corpus_cpu_ms its CPU time (user + system, from /proc); check_300_files_ms scales the wall time to 300 files (the target: 5 s); check_corpus_findings counts the findings. check_corpus_cached_ms: the same without --no-result-cache after a run that kept the answers (one timed run, output compared byte for byte); check_corpus_one_edit_ms: the corpus with its middle file replaced by a copy in a folder of the run, after a run that kept the answers and an appended comment line in the copy: the run checks that one file again and answers the others from their kept answers (one timed run); *_cpu_ms their CPU time.',
        'Worker (scripts/bench/worker.ts, the production dist/analysisWorker.js driven by src/worker/client.ts as the host drives it, a started worker per run but for the warm keys): editor_first_hints_ms_5k is request -> the first view (partial or final) holding every model class with a line on the first screen (lines 1-60, editor_visible_models_5k classes) of the 5k bench file, editor_first_worker_ms_5k -> the final view in the same runs (median of 3), by workers whose V8 code cache a first worker stored (it opened the file and sat idle, as after a user\'s first file: src/worker/analysisWorkerLoader.ts), and editor_first_worker_nocodecache_ms_5k the same by workers started without it (ML_NOTES_NO_CODE_CACHE, as on the first start after an install), in turns with them; editor_cancel_ms_5k: a newer request (one digit changed in a layer line) arrives halfway through a full analysis of the file (half of editor_first_worker_ms_5k), ms until the stale request is answered (superseded; a worker that cannot stop it answers its full result), editor_newer_hints_ms_5k until the first view holding the classes on the screen around the edited line (60 lines), editor_newer_answer_ms_5k until the newer one is answered (median of 3); editor_edit_worker_ms_5k / editor_edit_worker_ms_small: the user\'s wait while typing, the 20 one-line edits of editor_edit_ms_5k / editor_edit_ms_small sent to the worker one after the other as the extension sends them (partial views, the screen around the edit), median ms from request to the full answer (every model and the checks\' findings), after the file\'s first answer; editor_edit_worker_hints_ms_5k / editor_edit_worker_hints_ms_small: in the same edits, median ms from request to the first view (partial or final) holding the model classes of the screen around the edited line (the hints the user looks at); editor_edit_worker_warm_ms_5k / editor_edit_worker_warm_ms_small: the same edits in one worker that first did what the in-process part does before its edits (three first views of the 5k file, each closed after, then the 5k edits before the small file\'s), so that V8 has optimised its code as much: a fresh worker\'s first tens of edits are slower for that alone; the in-process editor_edit_ms_* keys time the same analysis without the processes, the messages and the worker\'s event-loop turns between steps.',
        'summary_resnet50_analyzer_ms: the same summary by an analyzer that keeps parses (as the editor worker does), reading files as the worker does, from the texts the host sent it once (the first run reads them from the disk), median of 6 after the first; summary_resnet50_inprocess_ms parses everything each time, reading the disk (median of 5).',
      ],
      notes: 'summary_resnet50_ms is the summary of torchvision resnet.py by an analyzer that keeps parses, as the editor worker does (median of 6 after the first); summary_resnet50_inprocess_ms parses everything each time (median of 5); summary_resnet50_cli_ms is the whole CLI process (node start and bundle load included); pytorch_resnet50_ms is python import + build + forward, median of 3; longest_block_ms_typing_5k is the main-thread work per keystroke (analysis runs in a worker thread).',
      machine: { cpus: (await import('node:os')).cpus().length, loadavg: (await import('node:os')).loadavg().map(round) },
      existing_build: existsSync('dist/extension.js'),
    },
    null,
    0,
  ),
);
