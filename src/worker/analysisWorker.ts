// The analysis worker: keeps one incremental analyzer for all open documents and answers analyze
// requests with plain data. It reads no files itself: the host sends the texts of imported files.
import { parentPort } from 'node:worker_threads';
import { createAnalyzer, parseDocument } from '../core/index';
import type { ParsedDocument } from '../core/python/parse';
import { analyzeForEditor } from '../core/editor/documentAnalysis';
import { editorView } from '../core/editor/view';
import { layerGains } from '../core/editor/varianceChain';
import type { FromWorker, ToWorker } from './protocol';

const analyzer = createAnalyzer();
const parses = new Map<string, ParsedDocument>();

function handle(message: ToWorker): FromWorker | undefined {
  if (message.type === 'close') {
    analyzer.close(message.path);
    parses.delete(message.path);
    return undefined;
  }
  if (message.type === 'summarize') {
    const summary = analyzer.summarizeModel({
      path: message.path,
      text: message.text,
      readFile: (path) => message.files[path],
      model: message.model,
      ...(message.inputs ? { inputs: message.inputs } : {}),
      ...(message.dtype ? { dtype: message.dtype } : {}),
      budget: { ms: message.budgetMs, steps: 5_000_000 },
      torchVersion: message.torchVersion,
    });
    return { type: 'summary', id: message.id, summary, gains: 'error' in summary ? {} : layerGains(summary, message.model) };
  }
  try {
    const parsed = parseDocument(message.text, parses.get(message.path));
    parses.set(message.path, parsed);
    const missing = new Set<string>();
    const readFile = (path: string): string | undefined => {
      const text = message.files[path];
      if (text === undefined) missing.add(path);
      return text;
    };
    const analysis = analyzeForEditor(analyzer, parsed.module, {
      path: message.path,
      text: message.text,
      readFile,
      user: message.user,
      budget: { ms: message.budgetMs, steps: 2_000_000 },
      parsed,
      checks: { disabled: message.disabledChecks },
      varianceGainRange: message.varianceGainRange,
      torchVersion: message.torchVersion,
    });
    return { type: 'result', id: message.id, analysis: editorView(analysis), missingFiles: [...missing] };
  } catch (error) {
    return { type: 'failed', id: message.id, message: error instanceof Error ? error.message : String(error) };
  }
}

parentPort?.on('message', (message: ToWorker) => {
  const reply = handle(message);
  if (reply) parentPort?.postMessage(reply);
});
