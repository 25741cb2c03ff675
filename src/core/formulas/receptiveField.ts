// The receptive field along one axis through any stack of layers that read their input on a regular
// grid: strided windows (conv, pooling), transposed windows (ConvTranspose, MaxUnpool) and resampling
// (Upsample / F.interpolate, PixelShuffle). Notes topic receptive-field.
//
// Araujo et al.'s recursion (Distill 2019) tracks one size r, jump j and start s: exact while every
// layer downsamples, but after an upsampling layer neighbouring units no longer see equally large
// fields (nearest ×2 then a 4-tap conv sees 2 or 3 inputs, alternately). So the field is tracked
// exactly, as the input interval [LO(o), HI(o)] of every output index o over one period T of the
// layout (LO(o + T) = LO(o) + T·j); size, jump and start are read off it. Jump and start are rational:
// after ×2 upsampling the units are half an input pixel apart (jump 1/2). Positions are on an unbounded
// grid, so the numbers describe units away from the borders (where padding and clamping cut fields).
import { type Rational, rational, ratAdd, ratFloor, ratMul, ratIsInteger, ratFromInt } from './rational';

/** How one layer's output index o reads its input along one axis. */
export type AxisReader =
  /** Conv / pooling: inputs o·S − P + k·D for k in [0, K). */
  | { readonly kind: 'window'; readonly kernel: number; readonly stride: number; readonly padding: number; readonly dilation: number }
  /** ConvTranspose / MaxUnpool: inputs i with i·S − P + k·D = o for some k in [0, K). */
  | { readonly kind: 'transposed'; readonly kernel: number; readonly stride: number; readonly padding: number; readonly dilation: number }
  /**
   * Resampling at the source coordinate x = a·o + b (in input indices): `before` and `after` taps around
   * ⌊x⌋ (nearest: 0, 0; linear: 0, 1; cubic: 1, 2). Where x is an integer an interpolating mode's other
   * taps have weight 0 and PyTorch's gradient there is 0: only ⌊x⌋ is read (`exactAtIntegers`).
   */
  | { readonly kind: 'resample'; readonly a: Rational; readonly b: Rational; readonly before: number; readonly after: number; readonly exactAtIntegers: boolean };

/** One axis's field: the period T, the jump j (T·j is an integer) and LO/HI of the outputs 0..T−1 (null: reads nothing). */
export interface AxisField {
  readonly period: number;
  readonly jump: Rational;
  readonly lo: readonly (number | null)[];
  readonly hi: readonly (number | null)[];
}

/** A model input: each unit is its own field. */
export const inputAxisField: AxisField = { period: 1, jump: ratFromInt(1), lo: [0], hi: [0] };

/** Tables longer than this are given up on (the layout's period grows with co-prime resampling factors). */
export const MAX_PERIOD = 4096;

const gcd = (a: number, b: number): number => (b === 0 ? Math.abs(a) : gcd(b, a % b));
const floorDiv = (a: number, b: number): number => Math.floor(a / b);
const mod = (a: number, b: number): number => ((a % b) + b) % b;

/** The input positions output o reads, one entry per kernel tap (a position twice when two taps meet it). */
export function readerTaps(reader: AxisReader, o: number): number[] {
  switch (reader.kind) {
    case 'window': {
      const first = o * reader.stride - reader.padding;
      return Array.from({ length: reader.kernel }, (_, k) => first + k * reader.dilation);
    }
    case 'transposed': {
      const taps: number[] = [];
      for (let k = reader.kernel - 1; k >= 0; k--) {
        const numerator = o + reader.padding - k * reader.dilation;
        if (mod(numerator, reader.stride) === 0) taps.push(numerator / reader.stride);
      }
      return taps;
    }
    case 'resample': {
      const x = ratAdd(ratMul(reader.a, ratFromInt(o)), reader.b);
      const base = ratFloor(x);
      if (reader.exactAtIntegers && ratIsInteger(x)) return [base];
      return Array.from({ length: reader.before + reader.after + 1 }, (_, k) => base - reader.before + k);
    }
  }
}

/** The input interval output o reads, or null when it reads none (a transposed layer's gaps). */
export function readerInterval(reader: AxisReader, o: number): readonly [number, number] | null {
  // A window's taps are an arithmetic sequence: its ends are its first and last tap (no list of taps needed).
  if (reader.kind === 'window') {
    const taps = Math.floor(reader.kernel);
    if (!(taps > 0)) return null;
    const first = o * reader.stride - reader.padding;
    const last = first + (taps - 1) * reader.dilation;
    return [Math.min(first, last), Math.max(first, last)];
  }
  const taps = readerTaps(reader, o);
  return taps.length > 0 ? [Math.min(...taps), Math.max(...taps)] : null;
}

/** (A, B) with reader(o + A) = reader(o) shifted by B inputs: the reader's own period. */
function readerPeriod(reader: AxisReader): readonly [number, number] {
  switch (reader.kind) {
    case 'window':
      return [1, reader.stride];
    case 'transposed':
      return [reader.stride, 1];
    case 'resample':
      return [reader.a.d, reader.a.n];
  }
}

/** LO or HI of any output index from one period of the table. */
function extend(field: AxisField, table: readonly (number | null)[], p: number): number | null {
  const r = mod(p, field.period);
  const base = table[r];
  if (base === null || base === undefined) return null;
  const periods = field.period * floorDiv(p, field.period);
  // An integer jump shifts by an integer: the same number as the rational product below, without building it.
  if (field.jump.d === 1) {
    const shift = field.jump.n * periods;
    if (Number.isSafeInteger(shift)) return base + shift;
  }
  const shift = ratMul(field.jump, ratFromInt(periods));
  return base + shift.n / shift.d;
}

/** The input interval unit o of a field reads (any o, through the period), or null when it reads none. */
export function axisFieldInterval(field: AxisField, o: number): readonly [number, number] | null {
  const lo = extend(field, field.lo, o);
  const hi = extend(field, field.hi, o);
  return lo === null || hi === null ? null : [lo, hi];
}

/** The first and last non-empty units among p in [from, to], through the table. */
function extremes(field: AxisField, from: number, to: number): readonly [number, number] | null {
  let lo: number | null = null;
  for (let p = from; p <= to && lo === null; p++) lo = extend(field, field.lo, p);
  let hi: number | null = null;
  for (let p = to; p >= from && hi === null; p--) hi = extend(field, field.hi, p);
  return lo === null || hi === null ? null : [lo, hi];
}

/** The field after one more layer; undefined when its period would exceed MAX_PERIOD. */
export function stepAxisField(field: AxisField, reader: AxisReader): AxisField | undefined {
  const [a, b] = readerPeriod(reader);
  const period = a * (field.period / gcd(b, field.period));
  if (!Number.isSafeInteger(period) || period > MAX_PERIOD) return undefined;
  const lo: (number | null)[] = [];
  const hi: (number | null)[] = [];
  for (let o = 0; o < period; o++) {
    const read = readerInterval(reader, o);
    const span = read ? extremes(field, read[0], read[1]) : null;
    lo.push(span ? span[0] : null);
    hi.push(span ? span[1] : null);
  }
  // j·b/a as one reduced rational (the product and quotient of ratMul and ratDiv, reduced once).
  return { period, jump: rational(field.jump.n * b, field.jump.d * a), lo, hi };
}

/** Where branches meet (add, cat of equal layouts): each unit sees the union of the fields. */
export function mergeAxisFields(fields: readonly AxisField[]): AxisField | undefined {
  const first = fields[0];
  if (!first || fields.some((f) => f.jump.n !== first.jump.n || f.jump.d !== first.jump.d)) return undefined;
  const period = fields.reduce((t, f) => (t * f.period) / gcd(t, f.period), 1);
  if (period > MAX_PERIOD) return undefined;
  const pick = (table: (f: AxisField) => readonly (number | null)[], better: (x: number, y: number) => number) =>
    Array.from({ length: period }, (_, o) =>
      fields.reduce<number | null>((acc, f) => {
        const v = extend(f, table(f), o);
        return v === null ? acc : acc === null ? v : better(acc, v);
      }, null),
    );
  return { period, jump: first.jump, lo: pick((f) => f.lo, Math.min), hi: pick((f) => f.hi, Math.max) };
}

/** What a field amounts to: the largest and smallest extent, the jump, and the mean centre of unit 0. */
export interface AxisSummary {
  readonly size: number;
  readonly minSize: number;
  readonly jump: Rational;
  /** Centre of unit 0's field in input coordinates (pixel i spans [i, i + 1]), fitted over the period. */
  readonly start: Rational;
}

export function summarizeAxisField(field: AxisField): AxisSummary {
  let size = 0;
  let minSize = Infinity;
  // The centres (lo + hi + 1)/2 − o·j summed as two integer sums, Σ(lo + hi + 1) and Σo, made one rational at the
  // end: the same exact value as adding the rationals offset by offset (five of them per offset), which was most of
  // a summary's receptive-field reports.
  let endsSum = 0;
  let offsetSum = 0;
  let counted = 0;
  for (let o = 0; o < field.period; o++) {
    const lo = field.lo[o];
    const hi = field.hi[o];
    if (lo === null || hi === null || lo === undefined || hi === undefined) continue;
    size = Math.max(size, hi - lo + 1);
    minSize = Math.min(minSize, hi - lo + 1);
    endsSum += lo + hi + 1;
    offsetSum += o;
    counted++;
  }
  if (counted === 0) return { size, minSize: 0, jump: field.jump, start: ratFromInt(0) };
  // start = (Σ(lo + hi + 1)/2 − j·Σo) / counted = (Σ(lo + hi + 1)·j.d − 2·j.n·Σo) / (2·j.d·counted), reduced once.
  const { n, d } = field.jump;
  return { size, minSize, jump: field.jump, start: rational(endsSum * d - 2 * n * offsetSum, 2 * d * counted) };
}
