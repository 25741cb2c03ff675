// Signal processing and complex tensors as audio models use them: torch.stft / istft, the window
// functions, view_as_real / view_as_complex, torch.complex / polar, real / imag / angle.
// 0 MACs by the catalogue convention (macs.ts counts module-style multiply-adds; FFTs are not among them).
import * as dims from '../../../dims/dims';
import type { Dim } from '../../../dims/dims';
import type { DType } from '../../../values';
import { NONE, bool, float, str, tensor } from '../../../values';
import type { ArgSpec, OpEntry } from '../../types';
import { type Args, type KnownTensor, defineDualOp, defineOp, fail, parseDType, result, shapeText } from '../define';
import { broadcastShapes, complexOf, isComplex, isFloating, realPart } from '../shapes';

const windowKw: readonly ArgSpec[] = [
  { name: 'dtype', default: NONE, keywordOnly: true },
  { name: 'layout', default: NONE, keywordOnly: true },
  { name: 'device', default: NONE, keywordOnly: true },
  { name: 'requires_grad', default: bool(false), keywordOnly: true },
];

/** Window functions: a 1-D float tensor of window_length (periodic or symmetric has the same length). */
const WINDOWS: ReadonlyArray<readonly [string, readonly ArgSpec[]]> = [
  ['hann_window', [{ name: 'periodic', default: bool(true) }]],
  ['hamming_window', [{ name: 'periodic', default: bool(true) }, { name: 'alpha', default: float(0.54) }, { name: 'beta', default: float(0.46) }]],
  ['blackman_window', [{ name: 'periodic', default: bool(true) }]],
  ['bartlett_window', [{ name: 'periodic', default: bool(true) }]],
  ['kaiser_window', [{ name: 'periodic', default: bool(true) }, { name: 'beta', default: float(12.0) }]],
];

const windowOps: OpEntry[] = WINDOWS.map(([name, rest]) =>
  defineOp({
    name: `torch.${name}`,
    signature: [{ name: 'window_length' }, ...rest, ...windowKw],
    apply: (a) => {
      const length = a.dim('window_length');
      if (typeof length === 'number' && length < 0) fail(`${name} requires non-negative window_length, got window_length=${length}`, 'window_length');
      const dtype = parseDType(a.value('dtype')) ?? 'float32';
      if (!isFloating(dtype) || isComplex(dtype)) fail(`${name} expects floating point dtypes, got: ${tensorOptionsText(dtype)}`, 'dtype');
      return result(tensor([length], dtype));
    },
  }),
);

/** C++ type names PyTorch prints for dtypes (TensorOptions text). */
const C_TYPE: Partial<Record<DType, string>> = { int64: 'long int', int32: 'int', int8: 'signed char', uint8: 'unsigned char', bool: 'bool', complex64: 'c10::complex<float>', complex128: 'c10::complex<double>' };

const tensorOptionsText = (d: DType): string =>
  `TensorOptions(dtype=${C_TYPE[d] ?? d}, device=cpu, layout=Strided (default), requires_grad=false (default), pinned_memory=false, memory_format=(nullopt))`;

/** How PyTorch 1.13 prints a tensor's type in stft/istft messages. */
const LEGACY_TYPE: Partial<Record<DType, string>> = { float32: 'torch.FloatTensor', float64: 'torch.DoubleTensor', float16: 'torch.HalfTensor', complex64: 'CPUComplexFloatType', complex128: 'CPUComplexDoubleType' };
const typeText = (d: DType, shape: readonly Dim[]): string => `${LEGACY_TYPE[d] ?? d}[${shape.map(dims.formatDim).join(', ')}]`;
const flag = (b: boolean | undefined): string => (b === undefined ? 'None' : b ? '1' : '0');

const stftSignature: readonly ArgSpec[] = [
  { name: 'n_fft' },
  { name: 'hop_length', default: NONE },
  { name: 'win_length', default: NONE },
  { name: 'window', default: NONE },
  { name: 'center', default: bool(true) },
  { name: 'pad_mode', default: str('reflect') },
  { name: 'normalized', default: bool(false) },
  { name: 'onesided', default: NONE },
  { name: 'return_complex', default: NONE },
];

/** Frames of an STFT: 1 + ⌊(L + 2·⌊n_fft/2⌋·center − n_fft) / hop⌋. */
export function stftFrames(length: Dim, nFft: number, hop: number, center: boolean): Dim {
  const padded = center ? dims.add(length, 2 * Math.floor(nFft / 2)) : length;
  if (typeof padded === 'number' && padded < nFft) fail(`stft: input length ${padded} is smaller than n_fft=${nFft}`, 'input');
  return dims.add(dims.floorDiv(dims.sub(padded, nFft), hop), 1);
}

function stft(input: KnownTensor, a: Args) {
  const nFft = a.int('n_fft');
  const hop = a.optInt('hop_length') ?? Math.floor(nFft / 4);
  const winLength = a.optInt('win_length') ?? nFft;
  const window = a.optTensor('window');
  // PyTorch names the call in its messages, with the input after centre padding.
  const center = a.bool('center');
  const padded = center ? input.shape.map((d, i) => (i === input.shape.length - 1 ? dims.add(d, 2 * Math.floor(nFft / 2)) : d)) : input.shape;
  const call = (): string =>
    `stft(${typeText(input.dtype, padded)}, n_fft=${nFft}, hop_length=${hop}, win_length=${winLength}, window=${window ? `${LEGACY_TYPE[window.dtype] ?? window.dtype}{${shapeText(window.shape)}}` : 'None'}, normalized=${flag(a.bool('normalized'))}, onesided=${a.isNone('onesided') ? 'None' : flag(a.bool('onesided'))}, return_complex=${a.isNone('return_complex') ? 'None' : flag(a.bool('return_complex'))}) : `;
  if (input.shape.length !== 1 && input.shape.length !== 2) fail(`${call()}expected a 1D or 2D tensor`, 'input');
  if (nFft <= 0) fail(`${call()}expected 0 < n_fft < ${dims.formatDim(padded[padded.length - 1]!)}, but got n_fft=${nFft}`, 'n_fft');
  if (hop <= 0) fail(`${call()}expected hop_length > 0, but got hop_length=${hop}`, 'hop_length');
  if (winLength <= 0 || winLength > nFft) fail(`${call()}expected 0 < win_length <= n_fft, but got win_length=${winLength}`, 'win_length');
  if (window && (window.shape.length !== 1 || dims.equal(window.shape[0]!, winLength) === false)) {
    fail(`${call()}expected a 1D window tensor of size equal to win_length=${winLength}, but got window with size ${shapeText(window.shape)}`, 'window');
  }
  const complexInput = isComplex(input.dtype) || (window !== undefined && isComplex(window.dtype));
  // From 2.0 a real input needs return_complex given; 1.13 warns and returns the real view.
  if (a.isNone('return_complex') && !complexInput && a.has('stftRequiresReturnComplex')) {
    fail('stft requires the return_complex parameter be given for real inputs, and will further require that return_complex=True in a future PyTorch release.', 'return_complex');
  }
  const returnComplex = a.isNone('return_complex') ? complexInput : a.bool('return_complex');
  const onesided = a.isNone('onesided') ? !complexInput : a.bool('onesided');
  if (onesided && complexInput) fail('Cannot have onesided output if window or input is complex', 'onesided');
  const length = input.shape[input.shape.length - 1]!;
  const frames = stftFrames(length, nFft, hop, a.bool('center'));
  const freqs = onesided ? Math.floor(nFft / 2) + 1 : nFft;
  const batch = input.shape.slice(0, -1);
  const complexDtype = complexOf(realPart(input.dtype));
  return result(returnComplex ? tensor([...batch, freqs, frames], complexDtype) : tensor([...batch, freqs, frames, 2], realPart(input.dtype)));
}

const stftOps: OpEntry[] = defineDualOp({ name: 'stft', rest: stftSignature, apply: (t, a) => stft(t, a) });

const istftSignature: readonly ArgSpec[] = [
  { name: 'n_fft' },
  { name: 'hop_length', default: NONE },
  { name: 'win_length', default: NONE },
  { name: 'window', default: NONE },
  { name: 'center', default: bool(true) },
  { name: 'normalized', default: bool(false) },
  { name: 'onesided', default: NONE },
  { name: 'length', default: NONE },
  { name: 'return_complex', default: bool(false) },
];

const istftOps: OpEntry[] = defineDualOp({
  name: 'istft',
  rest: istftSignature,
  apply: (input, a) => {
    const nFft = a.int('n_fft');
    const hop = a.optInt('hop_length') ?? Math.floor(nFft / 4);
    const winLength = a.optInt('win_length') ?? nFft;
    const window = a.optTensor('window');
    const call = (): string =>
      `istft(${typeText(input.dtype, input.shape)}, n_fft=${nFft}, hop_length=${hop}, win_length=${winLength}, window=${window ? `${LEGACY_TYPE[window.dtype] ?? window.dtype}{${shapeText(window.shape)}}` : 'None'}, center=${flag(a.bool('center'))}, normalized=${flag(a.bool('normalized'))}, onesided=${a.isNone('onesided') ? 'None' : flag(a.bool('onesided'))}, length=${a.isNone('length') ? 'None' : dims.formatDim(a.dim('length'))}, return_complex=${flag(a.bool('return_complex'))}) : `;
    if (!isComplex(input.dtype) && input.dtype !== 'unknown') fail('istft requires a complex-valued input tensor', 'input');
    if (input.shape.length !== 2 && input.shape.length !== 3) fail(`${call()}expected a tensor with 3 or 4 dimensions of real, or 2 or 3 dimensions of  complex, got ${input.shape.length}`, 'input');
    const onesided = a.isNone('onesided') ? true : a.bool('onesided');
    const freqs = input.shape[input.shape.length - 2]!;
    const expected = onesided ? Math.floor(nFft / 2) + 1 : nFft;
    if (dims.equal(freqs, expected) === false) {
      fail(
        onesided
          ? `${call()}expected the frequency dimension (3rd to the last) of the input tensor to match n_fft / 2 + 1 when onsided=True, but got ${dims.formatDim(freqs)}`
          : `${call()}expected the frequency dimension (3rd to the last) of the input tensor to match n_fft when onsided=False, but got ${dims.formatDim(freqs)}`,
        'input',
      );
    }
    const frames = input.shape[input.shape.length - 1]!;
    // n_fft + hop·(frames − 1) samples, less the centre padding of n_fft/2 on each side.
    const full = dims.add(dims.mul(hop, dims.sub(frames, 1)), a.bool('center') ? nFft - 2 * Math.floor(nFft / 2) : nFft);
    const length = a.optDim('length') ?? full;
    const dtype = a.bool('return_complex') ? input.dtype : realPart(input.dtype);
    return result(tensor([...input.shape.slice(0, -2), length], dtype));
  },
});

const complexViews: OpEntry[] = [
  defineOp({
    name: 'torch.view_as_real',
    signature: [{ name: 'input' }],
    apply: (a) => {
      const t = a.tensor('input');
      if (!isComplex(t.dtype) && t.dtype !== 'unknown') fail('view_as_real is only supported for complex tensors', 'input');
      return result(tensor([...t.shape, 2], realPart(t.dtype)));
    },
  }),
  defineOp({
    name: 'torch.view_as_complex',
    signature: [{ name: 'input' }],
    apply: (a) => {
      const t = a.tensor('input');
      if (t.dtype !== 'float32' && t.dtype !== 'float64' && t.dtype !== 'float16' && t.dtype !== 'unknown') fail(`view_as_complex is only supported for floating point tensors, but got a tensor of scalar type: ${t.dtype}`, 'input');
      const last = t.shape[t.shape.length - 1];
      if (last === undefined || dims.equal(last, 2) === false) fail('Tensor must have a last dimension of size 2', 'input');
      return result(tensor(t.shape.slice(0, -1), complexOf(t.dtype)));
    },
  }),
  ...['complex', 'polar'].map((name) =>
    defineOp({
      name: `torch.${name}`,
      signature: name === 'complex' ? [{ name: 'real' }, { name: 'imag' }, { name: 'out', default: NONE, keywordOnly: true }] : [{ name: 'abs' }, { name: 'angle' }, { name: 'out', default: NONE, keywordOnly: true }],
      apply: (a) => {
        const [x, y] = name === 'complex' ? [a.tensor('real'), a.tensor('imag')] : [a.tensor('abs'), a.tensor('angle')];
        if (x.dtype !== y.dtype) fail(`Expected object of scalar type ${x.dtype === 'float64' ? 'Double' : 'Float'} but got scalar type ${y.dtype === 'float64' ? 'Double' : 'Float'} for second argument`, 'imag');
        if (!isFloating(x.dtype) || isComplex(x.dtype)) fail(`Expected both inputs to be Half, Float or Double tensors but got ${x.dtype} and ${y.dtype}`, 'real');
        return result(tensor(broadcastShapes(x.shape, y.shape), complexOf(x.dtype)));
      },
    }),
  ),
  // real / imag of a complex tensor are real views (torch.real(x), and the properties x.real / x.imag);
  // angle is real too (of a real tensor: 0 or π, same dtype).
  ...['real', 'imag', 'angle'].flatMap((name) =>
    defineDualOp({
      name,
      rest: [],
      apply: (t) => {
        if (name === 'imag' && !isComplex(t.dtype)) fail('imag is not implemented for tensors with non-complex dtypes.', 'input');
        const dtype = isComplex(t.dtype) ? realPart(t.dtype) : name === 'angle' && !isFloating(t.dtype) ? 'float32' : t.dtype;
        return result(tensor(t.shape, dtype));
      },
    }).map((entry) => (entry.name === 'Tensor.real' || entry.name === 'Tensor.imag' ? { ...entry, property: true } : entry)),
  ),
  ...defineDualOp({ name: 'is_complex', rest: [], apply: (t) => result(bool(isComplex(t.dtype))) }),
  ...defineDualOp({ name: 'conj', rest: [], apply: (t) => result(tensor(t.shape, t.dtype)) }),
];

export const signalOps: readonly OpEntry[] = [...windowOps, ...stftOps, ...istftOps, ...complexViews];
