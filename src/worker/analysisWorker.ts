// The analysis worker: keeps one incremental analyzer for all open documents and answers analyze
// requests with plain data, step by step so that a newer request for a document stops a stale one. It runs
// as a child process of the extension host (src/worker/client.ts), so a crash or running out of memory ends
// this process only. It reads no files itself: the host sends the
// texts of imported files, each once, and this process keeps them until told to drop them.
import { parentPort } from 'node:worker_threads';
import { createAnalyzer, largestBatch, parseDocument } from '../core/index';
import type { ParsedDocument } from '../core/python/parse';
import { closeDocument, editorAnalysisSteps } from '../core/editor/documentAnalysis';
import { editorView, hoverInShown, shownAfter, type ShownHovers } from '../core/editor/view';
import { layerGains } from '../core/editor/varianceChain';
import { viewToPost, type PostedView } from '../core/editor/viewDelta';
import type { EditorView } from '../core/editor/view';
import type { AnalyzeMessage, FileDelta, FromWorker, HoverMessage, SummarizeMessage, ToWorker } from './protocol';

const analyzer = createAnalyzer();
const parses = new Map<string, ParsedDocument>();
const files = new Map<string, string>();
/** Per document, the analyses of the views posted last, whose hovers the host may ask for. */
const shown = new Map<string, ShownHovers>();
/** Per document, the last view of every model posted: the next is posted as what changed since (viewDelta.ts). */
const posted = new Map<string, { readonly id: number; readonly view: EditorView }>();

/** A view of every model of request `id`, to post: what changed since the document's last one. */
function postView(path: string, id: number, view: EditorView): PostedView {
  const out = viewToPost(posted.get(path), view);
  posted.set(path, { id, view });
  return out;
}

function applyDelta(delta: FileDelta): void {
  for (const path of delta.dropFiles ?? []) files.delete(path);
  for (const [path, text] of Object.entries(delta.files)) files.set(path, text);
}

/** Requests the host cancelled (a newer request for the same document arrived); checked between steps. */
const cancelled = new Set<number>();

/** Lets the event loop run once, so that a `cancel` sent meanwhile is received. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function summarize(message: SummarizeMessage): FromWorker {
  // The budget starts when the request is taken up: parsing, every pass and rendering share it.
  const deadline = Date.now() + message.budgetMs;
  applyDelta(message);
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

/**
 * Analyses a document step by step (parse, module scope, each model class, each check unit), letting the event
 * loop run between steps: a `cancel` for this request stops it there, and it answers `superseded`.
 */
async function analyze(message: AnalyzeMessage): Promise<void> {
  const started = Date.now();
  // The budget starts when the request is taken up: parsing, every pass and rendering share it.
  const deadline = started + message.budgetMs;
  applyDelta(message);
  const stop = (): boolean => {
    if (!cancelled.delete(message.id)) return false;
    send({ type: 'superseded', id: message.id });
    return true;
  };
  try {
    const parsed = parseDocument(message.text, parses.get(message.path), undefined, deadline);
    parses.set(message.path, parsed);
    await nextTurn();
    if (stop()) return;
    const missing = new Set<string>();
    const readFile = (path: string): string | undefined => {
      const text = files.get(path);
      if (text === undefined) missing.add(path);
      return text;
    };
    const steps = editorAnalysisSteps(analyzer, parsed.module, {
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
      ...(message.partialView && message.visibleLines ? { visibleLines: message.visibleLines } : {}),
    });
    let partialSent = false;
    for (let next = steps.next(); ; next = steps.next()) {
      if (next.done) {
        const analysis = next.value;
        // After a 'models' partial view the checks add findings only: its analysis answers the hovers.
        if (partialSent) send({ type: 'checked', id: message.id, checks: { findings: analysis.findings, requestedFiles: analysis.requestedFiles, elapsedMs: analysis.elapsedMs }, missingFiles: [...missing] });
        else {
          shown.set(message.path, shownAfter(shown.get(message.path), message.id, 'analysis', analysis));
          send({ type: 'result', id: message.id, view: postView(message.path, message.id, editorView(analysis, { analysis: message.id })), missingFiles: [...missing] });
        }
        return;
      }
      if (next.value.kind !== 'step' && message.partialView) {
        const scope = next.value.kind === 'visible' ? 'visible' : 'analysis';
        shown.set(message.path, shownAfter(shown.get(message.path), message.id, scope, next.value.analysis));
        const view = editorView(next.value.analysis, scope === 'visible' ? { visible: message.id } : { analysis: message.id });
        // The visible models' partial view is not one of every model: it is posted whole and is no base.
        send({ type: 'partial', id: message.id, scope: next.value.kind, view: scope === 'visible' ? { full: view } : postView(message.path, message.id, view) });
        partialSent ||= next.value.kind === 'models';
      }
      await nextTurn();
      // A stopped analysis's generator is dropped: each step leaves the analyzer's caches whole.
      if (stop()) return;
    }
  } catch (error) {
    send({ type: 'failed', id: message.id, message: error instanceof Error ? error.message : String(error) });
  } finally {
    cancelled.delete(message.id);
  }
}

/** A hover of a posted view, rendered from its analysis (nothing when a newer view was posted since). */
function hover(message: HoverMessage): FromWorker {
  try {
    const content = hoverInShown(shown.get(message.path), message.source, message.position);
    return { type: 'hover', id: message.id, ...(content ? { hover: content } : {}) };
  } catch (error) {
    return { type: 'hover', id: message.id, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Requests run one at a time, in the order they came; a `cancel` and a `hover` take effect at once. */
let queue: Promise<void> = Promise.resolve();

function received(message: ToWorker): void {
  if (message.type === 'cancel') {
    cancelled.add(message.id);
    return;
  }
  // A closed document's views have no hovers from now on (a hover sent after the close may be read before the
  // queue takes the close up).
  // The host forgets the document's last view when it sends the close: the next view posted is whole.
  if (message.type === 'close') {
    shown.delete(message.path);
    posted.delete(message.path);
  }
  // Between two steps of a running analysis: the hover reads only what earlier steps posted.
  if (message.type === 'hover') {
    send(hover(message));
    return;
  }
  queue = queue.then(async () => {
    if (message.type === 'close') {
      closeDocument(analyzer, message.path);
      parses.delete(message.path);
    } else if (message.type === 'analyze') await analyze(message);
    else {
      try {
        send(summarize(message));
      } catch (error) {
        send({ type: 'failed', id: message.id, message: error instanceof Error ? error.message : String(error) });
      }
    }
  });
}

/** A child process talks over its IPC channel; a worker thread (kept for tests and older hosts) over its port. */
function send(reply: FromWorker): void {
  if (parentPort) parentPort.postMessage(reply);
  else process.send?.(reply);
}

if (parentPort) parentPort.on('message', received);
else {
  process.on('message', received);
  // The host going away closes the channel: nothing is left to answer.
  process.on('disconnect', () => process.exit(0));
}
send({ type: 'ready' });
