// The analysis worker: keeps one incremental analyzer for all open documents and answers analyze
// requests with plain data. It runs as a child process of the extension host (src/worker/client.ts), so a
// crash or running out of memory ends this process only. It reads no files itself: the host sends the
// texts of imported files, each once, and this process keeps them until told to drop them.
import { parentPort } from 'node:worker_threads';
import { createAnalyzer, largestBatch, parseDocument } from '../core/index';
import type { ParsedDocument } from '../core/python/parse';
import { analyzeForEditor } from '../core/editor/documentAnalysis';
import { editorView } from '../core/editor/view';
import { layerGains } from '../core/editor/varianceChain';
import type { FileDelta, FromWorker, ToWorker } from './protocol';

const analyzer = createAnalyzer();
const parses = new Map<string, ParsedDocument>();
const files = new Map<string, string>();

function applyDelta(delta: FileDelta): void {
  for (const path of delta.dropFiles ?? []) files.delete(path);
  for (const [path, text] of Object.entries(delta.files)) files.set(path, text);
}

function handle(message: ToWorker): FromWorker | undefined {
  if (message.type === 'close') {
    analyzer.close(message.path);
    parses.delete(message.path);
    return undefined;
  }
  // The budget starts when the request is taken up: parsing, every pass and rendering share it.
  const deadline = Date.now() + message.budgetMs;
  applyDelta(message);
  if (message.type === 'summarize') {
    const request = {
      path: message.path,
      text: message.text,
      readFile: (path: string) => files.get(path),
      model: message.model,
      ...(message.inputs ? { inputs: message.inputs } : {}),
      ...(message.dtype ? { dtype: message.dtype } : {}),
      budget: { deadline, steps: 5_000_000 },
      torchVersion: message.torchVersion,
    };
    const summary = analyzer.summarizeModel(request);
    // "Does it fit?": the training step at the batches the answer needs, with the breakdown at the answer.
    const fit = (message.gpuBytes ?? 0) > 0 && !('error' in summary) ? largestBatch(request, message.gpuBytes!, (r) => analyzer.summarizeModel(r)) : undefined;
    return { type: 'summary', id: message.id, summary, gains: 'error' in summary ? {} : layerGains(summary, message.model), ...(fit ? { fit } : {}) };
  }
  try {
    const parsed = parseDocument(message.text, parses.get(message.path), undefined, deadline);
    parses.set(message.path, parsed);
    const missing = new Set<string>();
    const readFile = (path: string): string | undefined => {
      const text = files.get(path);
      if (text === undefined) missing.add(path);
      return text;
    };
    const analysis = analyzeForEditor(analyzer, parsed.module, {
      path: message.path,
      text: message.text,
      readFile,
      user: message.user,
      budget: { deadline, steps: 2_000_000 },
      parsed,
      checks: { disabled: message.disabledChecks },
      varianceGainRange: message.varianceGainRange,
      mode: message.mode,
      torchVersion: message.torchVersion,
      ...((message.gpuBytes ?? 0) > 0 ? { gpuBytes: message.gpuBytes! } : {}),
    });
    return { type: 'result', id: message.id, analysis: editorView(analysis), missingFiles: [...missing] };
  } catch (error) {
    return { type: 'failed', id: message.id, message: error instanceof Error ? error.message : String(error) };
  }
}

/** A child process talks over its IPC channel; a worker thread (kept for tests and older hosts) over its port. */
const send = (reply: FromWorker): void => {
  if (parentPort) parentPort.postMessage(reply);
  else process.send?.(reply);
};

if (parentPort) parentPort.on('message', (message: ToWorker) => {
  const reply = handle(message);
  if (reply) send(reply);
});
else {
  process.on('message', (message: ToWorker) => {
    const reply = handle(message);
    if (reply) send(reply);
  });
  // The host going away closes the channel: nothing is left to answer.
  process.on('disconnect', () => process.exit(0));
}
send({ type: 'ready' });
