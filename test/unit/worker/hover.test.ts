// Hovers rendered on request (src/worker/protocol.ts `hover`): the view the worker posts carries no Markdown, the
// host asks the real worker process for the hover at a position of the view it shows. At every position of the
// bundled examples and of torchvision's alexnet.py, googlenet.py and inception.py (public code, in the oracle corpus), the answer is the hover the
// view used to carry: every site's Markdown rendered after the analysis (`hoverSites`), the innermost site that
// contains the position (the first of the smallest), after the host's variable lookup. A view the worker has
// replaced answers nothing, as does a closed document.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalysisWorkerClient, type AnalyzeRequest } from '../../../src/worker/client';
import { createAnalyzer, parseDocument } from '../../../src/core/index';
import { analyzeForEditor, type EditorAnalysis } from '../../../src/core/editor/documentAnalysis';
import { hoverSites, variableHover, type HoverContent } from '../../../src/core/editor/hover';
import type { EditorView } from '../../../src/core/editor/view';
import { containsPosition, rangeSize } from '../../../src/core/ranges';
import { DEFAULT_TORCH_VERSION } from '../../../src/core/frameworks/torch/version';
import { workerClients } from './bundledWorker';

const root = join(__dirname, '../../..');
const { newClient } = workerClients();

const BUDGET_MS = 120_000;

function request(path: string, text: string): AnalyzeRequest {
  return { type: 'analyze', path, text, files: new Map(), user: {}, budgetMs: BUDGET_MS, mode: 'full', disabledChecks: [], varianceGainRange: [0.1, 10], torchVersion: DEFAULT_TORCH_VERSION, partialView: true };
}

async function viewOf(client: AnalysisWorkerClient, path: string, text: string): Promise<EditorView> {
  const outcome = await client.analyze(path, request(path, text));
  if (outcome.kind !== 'result') throw new Error(`analysis answered ${outcome.kind}`);
  return outcome.analysis;
}

/** The hover as the view used to carry it: every site rendered, the innermost containing the position. */
function renderedBefore(analysis: EditorAnalysis, sites: ReturnType<typeof hoverSites>, position: { line: number; character: number }, lineText: string): HoverContent | undefined {
  const variable = variableHover(analysis.variables, position, lineText);
  if (variable) return variable;
  let best: (typeof sites)[number] | undefined;
  for (const site of sites) if (containsPosition(site.range, position) && (!best || rangeSize(site.range) < rangeSize(best.range))) best = site;
  return best;
}

/** The hover as the host now gets it: its variable lookup in the view, else the worker's answer. */
async function askedNow(client: AnalysisWorkerClient, path: string, view: EditorView, position: { line: number; character: number }, lineText: string): Promise<HoverContent | undefined> {
  const variable = variableHover(view.variables, position, lineText);
  if (variable) return variable;
  const outcome = await client.hover({ path, source: view.hovers, position });
  expect(outcome.kind).not.toBe('failed');
  return outcome.kind === 'hover' ? outcome.hover : undefined;
}

const FILES = ['examples/resnet.py', 'examples/train.py', 'examples/transformer.py', 'examples/unet.py', ...['alexnet', 'googlenet', 'inception'].map((m) => `test/oracle/corpus/torchvision/models/${m}.py`)];

describe('hovers rendered on request by the worker', () => {
  it('equal, at every position of real files, the hovers the view carried rendered', async () => {
    const client = newClient();
    let shown = 0;
    const kinds = new Set<string>();
    for (const file of FILES) {
      const path = join(root, file);
      const text = readFileSync(path, 'utf8');
      const view = await viewOf(client, path, text);
      const parsed = parseDocument(text);
      const analysis = analyzeForEditor(createAnalyzer(), parsed.module, { path, text, parsed, readFile: () => undefined, user: {}, budget: { ms: BUDGET_MS, steps: 2_000_000 }, checks: { disabled: [] }, varianceGainRange: [0.1, 10], torchVersion: DEFAULT_TORCH_VERSION });
      const sites = hoverSites(analysis);
      const lines = text.split('\n');
      for (let line = 0; line < lines.length; line++) {
        const lineText = lines[line]!;
        for (let character = 0; character <= lineText.length; character++) {
          const position = { line, character };
          const expected = renderedBefore(analysis, sites, position, lineText);
          const actual = await askedNow(client, path, view, position, lineText);
          expect(actual, `${file}:${line + 1}:${character + 1}`).toEqual(expected);
          if (!actual) continue;
          shown++;
          kinds.add(/^\*\*/.test(actual.markdown) ? actual.markdown.split('**')[1]! : 'variable');
        }
      }
    }
    // Layers, containers, ops and variables were all hovered.
    expect(shown).toBeGreaterThan(4000);
    for (const kind of ['Conv2d', 'Linear', 'Sequential', 'BasicBlock', 'F\\.softmax', '@ \\(Tensor\\.\\_\\_matmul\\_\\_\\)', 'variable']) expect(kinds).toContain(kind);
  }, 300_000);

  it('answers nothing for a view the worker has replaced, or a closed document', async () => {
    const client = newClient();
    const path = join(root, 'examples', 'resnet.py');
    const text = readFileSync(path, 'utf8');
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes('nn.Conv2d('));
    const position = { line, character: lines[line]!.indexOf('Conv2d') };
    const old = await viewOf(client, path, text);
    const before = await client.hover({ path, source: old.hovers, position });
    expect(before.kind).toBe('hover');
    // The same text again: the hover would be the same, but the view that names it is no longer the worker's.
    const newer = await viewOf(client, path, text);
    expect(await client.hover({ path, source: old.hovers, position })).toEqual({ kind: 'none' });
    expect(await client.hover({ path, source: newer.hovers, position })).toEqual(before);
    // Another document's view is not this one's.
    expect(await client.hover({ path: join(root, 'examples', 'unet.py'), source: newer.hovers, position })).toEqual({ kind: 'none' });
    client.close(path);
    expect(await client.hover({ path, source: newer.hovers, position })).toEqual({ kind: 'none' });
  }, 120_000);

  it('answers nothing before the worker has started, and when it is disposed', async () => {
    const client = newClient();
    expect(await client.hover({ path: '/a.py', source: { analysis: 1 }, position: { line: 0, character: 0 } })).toEqual({ kind: 'none' });
    await viewOf(client, '/a.py', 'import torch.nn as nn\nfc = nn.Linear(2, 3)\n');
    const pending = client.hover({ path: '/a.py', source: { analysis: 1 }, position: { line: 1, character: 8 } });
    client.dispose();
    expect(await pending).toEqual({ kind: 'none' });
  }, 120_000);
});
