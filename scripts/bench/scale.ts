// Scale (issue 16, item 4), run by scripts/bench.mjs in a process of its own (node --expose-gc) so its heap is
// its own: a 50,000-line file answered as the editor worker answers it (its default 500 ms budget, then an
// edit), and a workspace of 2,000 Python files of which the open document imports two. Prints one JSON object.
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAnalyzer, parseDocument } from '../../src/core/index';
import type { Analyzer } from '../../src/core/index';
import type { ParsedDocument } from '../../src/core/python/parse';
import { analyzeForEditor } from '../../src/core/editor/documentAnalysis';
import { editorView } from '../../src/core/editor/view';
import { NUMBER_SETTINGS } from '../../src/core/editor/settings';
import { largeModelFile } from './fixture';

const root = process.argv[2] ?? process.cwd();
const round = (x: number): number => Math.round(x * 10) / 10;
const heapMb = (): number => {
  (globalThis as { gc?: () => void }).gc?.();
  return round(process.memoryUsage().heapUsed / 2 ** 20);
};

/** The worker's answer to one document version (src/worker/analysisWorker.ts), under its time budget. */
function answer(analyzer: Analyzer, path: string, text: string, previous: ParsedDocument | undefined, readFile: (p: string) => string | undefined, budgetMs: number) {
  const started = performance.now();
  const deadline = Date.now() + budgetMs;
  const parsed = parseDocument(text, previous, undefined, deadline);
  const analysis = analyzeForEditor(analyzer, parsed.module, { path, text, readFile, user: {}, budget: { deadline, steps: 2_000_000 }, parsed, checks: { disabled: [] }, varianceGainRange: [0.1, 10] });
  structuredClone(editorView(analysis));
  return { ms: performance.now() - started, parsed, analysis };
}

const budgetMs = NUMBER_SETTINGS['analysis.timeBudgetMs'].default;
const baseHeap = heapMb();

// A 50,000-line file: the first answer, then a one-line edit near the end.
const text50k = largeModelFile(root, 50_000);
const path50k = join(root, 'examples', 'bench_50k.py');
const analyzer50k = createAnalyzer();
const first50k = answer(analyzer50k, path50k, text50k, undefined, () => undefined, budgetMs);
const lines = text50k.split('\n');
const editLine = lines.length - 40 - lines.slice(-40).findIndex((l) => /\d/.test(l));
lines[editLine] = lines[editLine]!.replace(/\d/, (d) => String((Number(d) + 1) % 10));
const edit50k = answer(analyzer50k, path50k, lines.join('\n'), first50k.parsed, () => undefined, budgetMs);
const heap50k = heapMb();

// A workspace of 2,000 files: the open document imports two of them; the others are never read.
const workspace = mkdtempSync(join(tmpdir(), 'ml-notes-workspace-'));
for (let i = 0; i < 2000; i++) {
  const dir = join(workspace, `pkg${Math.floor(i / 100)}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `block${i}.py`), `import torch.nn as nn\n\n\nclass Block${i}(nn.Module):\n    def __init__(self, width=${8 + (i % 8)}):\n        super().__init__()\n        self.fc = nn.Linear(width, width)\n\n    def forward(self, x):\n        return self.fc(x)\n`);
}
const mainPath = join(workspace, 'main.py');
const mainText = 'import torch.nn as nn\nfrom pkg0.block1 import Block1\nfrom pkg3.block345 import Block345\n\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.a = Block1(9)\n        self.b = Block345(9)\n\n    def forward(self, x):  # x: [2, 9]\n        return self.b(self.a(x))\n';
const read = new Set<string>();
const readFile = (p: string): string | undefined => {
  read.add(p);
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
};
const workspaceAnswer = answer(createAnalyzer(), mainPath, mainText, undefined, readFile, budgetMs);
const net = workspaceAnswer.analysis.models.find((m) => m.className === 'Net');

process.stdout.write(
  JSON.stringify({
    lines_50k: text50k.split('\n').length,
    editor_first_ms_50k: round(first50k.ms),
    editor_edit_ms_50k: round(edit50k.ms),
    editor_stopped_50k: first50k.analysis.stopped ?? null,
    editor_parsed_lines_50k: first50k.parsed.stoppedAtLine ?? text50k.split('\n').length,
    worker_heap_mb_50k: heap50k,
    workspace_files: 2000,
    workspace_answer_ms: round(workspaceAnswer.ms),
    workspace_files_read: [...read].filter((p) => p.endsWith('.py')).length,
    workspace_net_params: net?.params ?? null,
    worker_heap_mb_workspace: heapMb(),
    heap_mb_at_start: baseHeap,
    budget_ms: budgetMs,
  }),
);
