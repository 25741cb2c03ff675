// "Does it fit?": the largest batch whose training step fits a GPU's memory. Peak memory is read from the
// training-step analysis at two batch sizes; for most models it is affine in the batch (parameters,
// gradients and optimizer state fixed, saved activations proportional), so two evaluations give the line
// (formulas/costs.ts) and the batch it allows. The answer is then checked by analysing that batch and the
// next one; when they disagree with the line, memory is not affine in the batch (attention over the batch,
// shapes that depend on it) and the largest batch is searched by bisection on analysed peaks instead.
import { BYTES_PER_GPU_GB, affineInBatch, largestAffineBatch } from '../formulas/costs';
import { type ModelSummary, type SummaryRequest, summarizeModel } from './summary';

/** One analysed batch: its peak bytes, and whether some calls were left out of it (then it is a lower bound). */
export interface BatchPeak {
  readonly batch: number;
  readonly peak_bytes: number;
  readonly params_bytes: number;
  readonly grads_bytes: number;
  readonly optimizer_bytes: number;
  readonly activations_bytes: number;
}

export interface FitReport {
  readonly gpu_bytes: number;
  /** The largest batch whose peak fits (0: not even one sample); null when it could not be found. */
  readonly largest_batch: number | null;
  /** Peak bytes = fixed_bytes + per_sample_bytes · batch, from the first two evaluations. */
  readonly fixed_bytes: number;
  readonly per_sample_bytes: number;
  /** Whether the analysed peaks at the answer and the next batch lie on that line. */
  readonly affine: boolean;
  /** Every batch analysed, in order. */
  readonly evaluated: readonly BatchPeak[];
  /** The breakdown at the largest batch (or at the smallest analysed when none fits). */
  readonly at_largest?: BatchPeak;
  /** What the answer rests on, in words (not affine, calls left out, memory that does not grow). */
  readonly notes: readonly string[];
}

/** `24GB`, `24 GiB`, `24`, `512MB`: bytes, GPU sizes read as binary units; undefined when malformed or absurd. */
export function parseGpuMemory(text: string): number | undefined {
  const m = /^(\d{1,7}(?:\.\d{1,6})?) ?(GB|GiB|G|MB|MiB|M|TB|TiB|T)?$/i.exec(text.trim());
  if (!m) return undefined;
  const unit = (m[2] ?? 'GB').toUpperCase().replace('I', '');
  const scale = unit.startsWith('T') ? 1024 * BYTES_PER_GPU_GB : unit.startsWith('M') ? BYTES_PER_GPU_GB / 1024 : BYTES_PER_GPU_GB;
  const bytes = Number(m[1]) * scale;
  return bytes > 0 && bytes <= 2 ** 50 ? Math.round(bytes) : undefined;
}

/** The first two batches analysed: 2 and 4 (batch 1 makes a training-mode BatchNorm1d raise). */
const PROBE_BATCHES = [2, 4] as const;
/** Analyses allowed for the bisection when memory is not affine in the batch. */
const MAX_SEARCH_EVALUATIONS = 12;

/**
 * The largest batch that fits `gpuBytes`, from analysed training steps of `req` (its inputs, optimizer and
 * precision; `batch` is varied). An error when a batch cannot be analysed or its peak is not a number.
 */
export function largestBatch(req: SummaryRequest, gpuBytes: number, analyse: (r: SummaryRequest) => ModelSummary | { error: string } = summarizeModel): FitReport | { error: string } {
  const evaluated: BatchPeak[] = [];
  const notes = new Set<string>();
  const peakAt = (batch: number): BatchPeak | { error: string } => {
    const known = evaluated.find((e) => e.batch === batch);
    if (known) return known;
    const s = analyse({ ...req, train: true, trainOnly: true, batch });
    if ('error' in s) return { error: `batch ${batch}: ${s.error}` };
    if (!s.train) return { error: `batch ${batch}: the training step could not be analysed (${s.train_error ?? 'no train-mode run'})` };
    const m = s.train.memory;
    if (typeof m.peak_bytes !== 'number' || typeof m.activations_bytes !== 'number') return { error: `batch ${batch}: the peak memory is not a number (${m.peak_bytes}); give the inputs concrete sizes` };
    if (s.train.unknown) notes.add(`${s.train.unknown.length} calls are left out of the training step (${s.train.unknown[0]!.path}…): the peaks are lower bounds, so the batch may be smaller`);
    const peak: BatchPeak = { batch, peak_bytes: m.peak_bytes, params_bytes: m.params_bytes, grads_bytes: m.grads_bytes, optimizer_bytes: m.optimizer_bytes, activations_bytes: m.activations_bytes };
    evaluated.push(peak);
    return peak;
  };
  const [b1, b2] = PROBE_BATCHES;
  const first = peakAt(b1);
  if ('error' in first) return first;
  const second = peakAt(b2);
  if ('error' in second) return second;
  const line = affineInBatch(b1, first.peak_bytes, b2, second.peak_bytes);
  const base = { gpu_bytes: gpuBytes, fixed_bytes: line.fixed, per_sample_bytes: line.perSample };
  const done = (largest: number | null, affine: boolean): FitReport => {
    const at = largest !== null && largest > 0 ? evaluated.find((e) => e.batch === largest) : evaluated[0];
    return { ...base, largest_batch: largest, affine, evaluated, ...(at ? { at_largest: at } : {}), notes: [...notes] };
  };
  const predicted = largestAffineBatch(line.fixed, line.perSample, gpuBytes);
  if (predicted === undefined) {
    notes.add('the peak does not grow with the batch between batches 2 and 4, so no batch size is implied');
    return done(null, false);
  }
  const onLine = (p: BatchPeak): boolean => Math.abs(p.peak_bytes - (line.fixed + line.perSample * p.batch)) <= 1e-9 * Math.max(1, p.peak_bytes);
  if (predicted === 0) {
    // Not even one sample fits by the line; check batch 1 directly.
    const one = peakAt(1);
    if ('error' in one) return one;
    if (one.peak_bytes > gpuBytes) return done(0, onLine(one));
  } else {
    const at = peakAt(predicted);
    if ('error' in at) return at;
    const next = peakAt(predicted + 1);
    if ('error' in next) return next;
    if (at.peak_bytes <= gpuBytes && next.peak_bytes > gpuBytes) return done(predicted, onLine(at) && onLine(next));
  }
  notes.add('the peak is not affine in the batch; the largest batch was searched by analysing batches');
  return bisect(peakAt, gpuBytes, done, notes);
}

/** The largest batch whose analysed peak fits, by doubling then bisection over at most MAX_SEARCH_EVALUATIONS analyses. */
function bisect(peakAt: (batch: number) => BatchPeak | { error: string }, gpuBytes: number, done: (largest: number | null, affine: boolean) => FitReport, notes: Set<string>): FitReport | { error: string } {
  let fits = 0;
  let fails: number | undefined;
  let batch = 1;
  for (let i = 0; i < MAX_SEARCH_EVALUATIONS; i++) {
    const p = peakAt(batch);
    if ('error' in p) return p;
    if (p.peak_bytes <= gpuBytes) fits = batch;
    else fails = batch;
    if (fails !== undefined && fails - fits <= 1) return done(fits, false);
    batch = fails === undefined ? batch * 2 : Math.floor((fits + fails) / 2);
  }
  notes.add(`the search stopped after ${MAX_SEARCH_EVALUATIONS} analyses: ${fits} fits${fails !== undefined ? `, ${fails} does not` : ''}`);
  return done(fits > 0 ? fits : null, false);
}
