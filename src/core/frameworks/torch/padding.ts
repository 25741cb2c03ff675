// Padding layers (ZeroPad2d, ConstantPad1d/2d/3d, ReflectionPad1d/2d/3d, ReplicationPad1d/2d/3d) and the
// shared F.pad shape rule: pad = (left, right) for the last dim, then (top, bottom) for the one before, ...
import * as dims from '../../dims/dims';
import type { Dim } from '../../dims/dims';
import { formatDim } from '../../dims/dims';
import { tensor } from '../../values';
import type { LayerEntry } from '../types';
import { type KnownTensor, defineLayer, fail, result, withLayerCost } from './define';
import { copyCost } from './costs';

export type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular';

/** F.pad's output shape with PyTorch's checks for each mode. */
export function padShape(input: KnownTensor, pad: readonly Dim[], mode: PadMode): Dim[] {
  const shape = input.shape;
  if (pad.length % 2 !== 0) fail('Padding length must be divisible by 2', 'pad');
  const padded = pad.length / 2;
  if (padded > shape.length) fail('Padding length too large', 'pad');
  if (mode !== 'constant') {
    // Non-constant modes pad the last 1-3 dims of a (C, *) or (N, C, *) input.
    const ok = padded <= 3 && (shape.length === padded + 1 || shape.length === padded + 2);
    if (!ok) fail('Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now', 'input');
  }
  const out = [...shape];
  for (let k = 0; k < padded; k++) {
    const axis = shape.length - 1 - k;
    const left = pad[2 * k]!;
    const right = pad[2 * k + 1]!;
    const size = shape[axis]!;
    // Symbolic pads (UNet's `diffY // 2`) are allowed; the mode checks run when the numbers are known.
    const known = typeof size === 'number' && typeof left === 'number' && typeof right === 'number';
    if (known && mode === 'reflect' && (left >= size || right >= size)) {
      fail(`Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (${left}, ${right}) at dimension ${axis} of input ${shape.length}`, 'pad');
    }
    if (known && mode === 'circular' && (left > size || right > size)) {
      fail('Padding value causes wrapping around more than once.', 'pad');
    }
    const grown = dims.add(size, dims.add(left, right));
    if (typeof grown === 'number' && grown < 0) {
      fail(`The input size ${formatDim(size)}, plus negative padding ${formatDim(left)} and ${formatDim(right)} resulted in a negative output size, which is invalid. Check dimension ${axis} of your input.`, 'pad');
    }
    out[axis] = grown;
  }
  return out;
}

interface PadConfig {
  readonly pad: readonly number[];
}

/** Padding given as an int (all sides) or a 2·rank tuple. */
const readPad = (a: { ints(name: string, n: number): number[] }, rank: number): PadConfig => ({ pad: a.ints('padding', 2 * rank) });

const MODES: ReadonlyArray<readonly [string, PadMode, boolean]> = [
  ['ConstantPad', 'constant', true],
  ['ReflectionPad', 'reflect', false],
  ['ReplicationPad', 'replicate', false],
];

const padLayers = MODES.flatMap(([prefix, mode, hasValue]) =>
  [1, 2, 3].map((rank) =>
    defineLayer<PadConfig>({
      name: `${prefix}${rank}d`,
      signature: [{ name: 'padding' }, ...(hasValue ? [{ name: 'value' }] : [])],
      configure: (a) => {
        if (hasValue) a.float('value');
        return readPad(a, rank);
      },
      forward: (c, a) => {
        const t = a.tensor('input');
        return result(tensor(padShape(t, c.pad, mode), t.dtype));
      },
    }),
  ),
);

const zeroPad2d = defineLayer<PadConfig>({
  name: 'ZeroPad2d',
  signature: [{ name: 'padding' }],
  configure: (a) => readPad(a, 2),
  forward: (c, a) => {
    const t = a.tensor('input');
    return result(tensor(padShape(t, c.pad, 'constant'), t.dtype));
  },
});

/** ZeroPad1d/3d (ConstantPad with 0) and CircularPad1d/2d/3d came with PyTorch 2.1. */
const zeroPads = [1, 3].map((rank) =>
  defineLayer<PadConfig>({
    name: `ZeroPad${rank}d`,
    since: '2.1.0',
    signature: [{ name: 'padding' }],
    configure: (a) => readPad(a, rank),
    forward: (c, a) => {
      const t = a.tensor('input');
      return result(tensor(padShape(t, c.pad, 'constant'), t.dtype));
    },
  }),
);

const circularPads = [1, 2, 3].map((rank) =>
  defineLayer<PadConfig>({
    name: `CircularPad${rank}d`,
    since: '2.1.0',
    signature: [{ name: 'padding' }],
    configure: (a) => readPad(a, rank),
    forward: (c, a) => {
      const t = a.tensor('input');
      if (t.shape.length !== rank + 1 && t.shape.length !== rank + 2) fail(`expected ${rank + 1}D or ${rank + 2}D input (got ${t.shape.length}D input)`, 'input');
      return result(tensor(padShape(t, c.pad, 'circular'), t.dtype));
    },
  }),
);

// Padding copies into a larger tensor and keeps nothing for backward.
export const paddingLayers: readonly LayerEntry[] = [...padLayers, zeroPad2d, ...zeroPads, ...circularPads].map((entry) => withLayerCost<unknown>(entry, () => copyCost()));
