// torch.nn.utils.rnn: PackedSequence, the namedtuple (data, batch_sizes, sorted_indices, unsorted_indices) the
// recurrent layers take and give, and the functions that make and undo it. data has one row per step of every
// sequence (the sum of the lengths); batch_sizes[t] counts the sequences longer than t. The lengths' values
// decide every shape, so they must be known (an input given as `--input 2:long=20`); otherwise the result is unknown.
import type { Dim } from '../../dims/dims';
import type { DataValue, TensorValue, TupleValue } from '../../values';
import { NONE, bool, float, tensor, tuple } from '../../values';
import type { OpEntry } from '../types';
import { type KnownTensor, defineOp, fail, giveUp, result, toKnownTensor } from './define';
import { knownIndex } from './shapes';
import { copyCost } from './costs';

export const PACKED_SEQUENCE_FIELDS = ['data', 'batch_sizes', 'sorted_indices', 'unsorted_indices'] as const;

export interface PackedSequenceParts {
  readonly data: KnownTensor;
  readonly batchSizes: TensorValue;
  readonly sortedIndices: DataValue;
  readonly unsortedIndices: DataValue;
}

/** A tensor with its contents (row-major) known. */
const withValues = (shape: readonly Dim[], dtype: TensorValue['dtype'], values: number[]): TensorValue => ({ ...tensor(shape, dtype), values });

export function packedSequence(data: TensorValue, batchSizes: TensorValue, sortedIndices: DataValue, unsortedIndices: DataValue): TupleValue {
  return { ...tuple([data, batchSizes, sortedIndices, unsortedIndices]), namedtuple: 'PackedSequence' };
}

/** The parts of a PackedSequence value, or undefined when the value is not one. */
export function asPackedSequence(v: DataValue | undefined): PackedSequenceParts | undefined {
  if (v?.kind !== 'tuple' || v.namedtuple !== 'PackedSequence') return undefined;
  const [data, batchSizes, sortedIndices, unsortedIndices] = v.items;
  if (batchSizes?.kind !== 'tensor') return giveUp('PackedSequence.batch_sizes is unknown');
  return { data: toKnownTensor(data, 'PackedSequence.data', 'data'), batchSizes, sortedIndices: sortedIndices ?? NONE, unsortedIndices: unsortedIndices ?? NONE };
}

/** The batch of a packed sequence: batch_sizes[0], the number of sequences. */
export function packedBatch(p: PackedSequenceParts): number {
  const first = p.batchSizes.values?.[0];
  return first ?? giveUp('the batch size of the PackedSequence is unknown (the values of its batch_sizes are unknown)');
}

/** The values of a lengths argument: a tensor of known contents or a list of known ints. */
function knownLengths(v: DataValue | undefined): number[] {
  if (v?.kind === 'tensor') {
    if (v.shape && v.shape.length !== 1) fail(`lengths must be a 1D tensor, got ${v.shape.length}D`);
    return v.values ?? giveUp('the values of lengths are unknown (give them: --input 2:long=20 or lengths=[20,18]:long)', 'lengths');
  }
  if (v?.kind === 'list' || v?.kind === 'tuple') {
    return v.items.map((item) => (item.kind === 'int' && typeof item.value === 'number' ? item.value : giveUp('a value of lengths is unknown', 'lengths')));
  }
  return giveUp('lengths is unknown', 'lengths');
}

/** batch_sizes[t]: how many of the (decreasing) lengths exceed t. */
const batchSizesOf = (sorted: readonly number[]): number[] => Array.from({ length: sorted[0] ?? 0 }, (_, t) => sorted.filter((l) => l > t).length);

function packPadded(input: KnownTensor, lengths: number[], batchFirst: boolean, enforceSorted: boolean): TupleValue {
  if (input.shape.length < 2) fail(`pack_padded_sequence: input must have at least 2 dimensions, got ${input.shape.length}`, 'input');
  // Two dimensions at least, checked above.
  const [stepsDim, batchDim] = batchFirst ? [input.shape[1]!, input.shape[0]!] : [input.shape[0]!, input.shape[1]!];
  const steps = knownIndex(stepsDim, 'pack_padded_sequence');
  const batch = knownIndex(batchDim, 'pack_padded_sequence');
  // Without enforce_sorted, PyTorch sorts the lengths (descending, stable) and remembers the permutation.
  const order = lengths.map((_, i) => i);
  if (!enforceSorted) order.sort((a, b) => lengths[b]! - lengths[a]!);
  const sorted = order.map((i) => lengths[i]!);
  if (lengths.length !== batch) fail(`Expected \`len(lengths)\` to be equal to batch_size, but got ${lengths.length} (batch_size=${batch})`, 'lengths');
  if (sorted.length === 0 || sorted[sorted.length - 1]! <= 0) fail("Length of all samples has to be greater than 0, but found an element in 'lengths' that is <= 0", 'lengths');
  if (sorted.some((l, i) => i > 0 && l > sorted[i - 1]!)) {
    fail('`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to sidestep this requirement if you do not need ONNX exportability.', 'lengths');
  }
  // A length past the padded length makes PyTorch read beyond the input: nothing sensible to predict.
  if (sorted[0]! > steps) giveUp(`a length (${sorted[0]}) exceeds the padded length ${steps}`, 'lengths');
  const rows = sorted.reduce((a, b) => a + b, 0);
  const batchSizes = batchSizesOf(sorted);
  const data = tensor([rows, ...input.shape.slice(2)], input.dtype);
  if (enforceSorted) return packedSequence(data, withValues([batchSizes.length], 'int64', batchSizes), NONE, NONE);
  const unsorted = order.map((_, i) => order.indexOf(i));
  return packedSequence(data, withValues([batchSizes.length], 'int64', batchSizes), withValues([batch], 'int64', order), withValues([batch], 'int64', unsorted));
}

function padPacked(p: PackedSequenceParts, batchFirst: boolean, totalLength: number | undefined): TupleValue {
  const longest = knownIndex(p.batchSizes.shape?.[0] ?? giveUp('the length of batch_sizes is unknown'), 'batch_sizes');
  if (totalLength !== undefined && totalLength < longest) {
    fail(`Expected total_length to be at least the length of the longest sequence in input, but got total_length=${totalLength} and max sequence length being ${longest}`, 'total_length');
  }
  const steps = totalLength ?? longest;
  const batch = packedBatch(p);
  const batchSizes = p.batchSizes.values!;
  // Lengths in sorted order, then in the caller's order (unsorted_indices) when the packing sorted them.
  const sortedLengths = Array.from({ length: batch }, (_, i) => batchSizes.filter((b) => b > i).length);
  const unsorted = p.unsortedIndices.kind === 'tensor' ? p.unsortedIndices.values : undefined;
  if (p.unsortedIndices.kind === 'tensor' && !unsorted) giveUp('the unsorted_indices of the PackedSequence are unknown');
  const lengths = unsorted ? unsorted.map((i) => sortedLengths[i]!) : sortedLengths;
  const features = p.data.shape.slice(1);
  const padded = tensor(batchFirst ? [batch, steps, ...features] : [steps, batch, ...features], p.data.dtype);
  return tuple([padded, withValues([batch], 'int64', lengths)]);
}

/** Python's type names of values passed where a PackedSequence is expected, for AttributeError's text. */
const PYTHON_TYPE_NAMES: Readonly<Partial<Record<DataValue['kind'], string>>> = { tensor: 'Tensor', tuple: 'tuple', list: 'list', none: 'NoneType', int: 'int', float: 'float', bool: 'bool', str: 'str' };

export const packedSequenceOps: readonly OpEntry[] = [
  defineOp({
    name: 'torch.nn.utils.rnn.pack_padded_sequence',
    signature: [{ name: 'input' }, { name: 'lengths' }, { name: 'batch_first', default: bool(false) }, { name: 'enforce_sorted', default: bool(true) }],
    apply: (a) => result(packPadded(a.tensor('input'), knownLengths(a.value('lengths')), a.bool('batch_first'), a.bool('enforce_sorted'))),
    // Its backward keeps the int64 batch_sizes, and the sorting permutation without enforce_sorted (measured in 1.13).
    cost: (a) => ({ saves: [{ what: 'batch sizes', tensor: 'output.1' }, ...(a.bool('enforce_sorted') ? [] : [{ what: 'sorting permutation', tensor: 'output.2' }])] }),
  }),
  defineOp({
    name: 'torch.nn.utils.rnn.pad_packed_sequence',
    signature: [{ name: 'sequence' }, { name: 'batch_first', default: bool(false) }, { name: 'padding_value', default: float(0) }, { name: 'total_length', default: NONE }],
    apply: (a) => {
      const sequence = a.value('sequence');
      if (sequence?.kind === 'unknown') giveUp(`pad_packed_sequence: the sequence is unknown (${sequence.reason})`, 'sequence');
      const packed = asPackedSequence(sequence) ?? fail(`'${PYTHON_TYPE_NAMES[sequence?.kind ?? 'none'] ?? sequence?.kind}' object has no attribute 'batch_sizes'`, 'sequence');
      return result(padPacked(packed, a.bool('batch_first'), a.optInt('total_length')));
    },
    // A copy into the padded layout; its backward keeps nothing (measured in 1.13).
    cost: () => copyCost(),
  }),
];
