// Conv, ConvTranspose, Lazy conv and pooling layers against real PyTorch 1.13 (odd sizes, ceil_mode,
// dilation, groups, 'same', output_padding, unbatched inputs, and the errors PyTorch raises).
import { bool, int, str, tuple } from '../../../src/core/values';
import { type LayerCase, oracleSuite } from './harness';

const i = int;
const t = (...xs: number[]) => tuple(xs.map(int));

const CASES: LayerCase[] = [
  { id: 'conv2d stem 7x7/2', layer: 'Conv2d', args: [i(3), i(64), i(7)], kwargs: { stride: i(2), padding: i(3), bias: bool(false) }, inputs: [{ shape: [2, 3, 224, 224] }] },
  { id: 'conv2d odd size, dilation 2', layer: 'Conv2d', args: [i(4), i(6), t(3, 5)], kwargs: { stride: t(2, 1), padding: t(1, 2), dilation: i(2) }, inputs: [{ shape: [1, 4, 17, 23] }] },
  { id: 'conv2d groups=2', layer: 'Conv2d', args: [i(8), i(12), i(3)], kwargs: { groups: i(2) }, inputs: [{ shape: [1, 8, 9, 9] }] },
  { id: 'conv2d depthwise', layer: 'Conv2d', args: [i(16), i(16), i(3)], kwargs: { padding: i(1), groups: i(16) }, inputs: [{ shape: [1, 16, 10, 10] }] },
  { id: "conv2d padding='same' even kernel, dilation", layer: 'Conv2d', args: [i(3), i(5), i(4)], kwargs: { padding: str('same'), dilation: i(3) }, inputs: [{ shape: [1, 3, 11, 13] }] },
  { id: "conv1d padding='valid'", layer: 'Conv1d', args: [i(2), i(3), i(5)], kwargs: { padding: str('valid') }, inputs: [{ shape: [4, 2, 20] }] },
  { id: 'conv1d unbatched, reflect padding', layer: 'Conv1d', args: [i(2), i(3), i(3)], kwargs: { padding: i(1), padding_mode: str('reflect') }, inputs: [{ shape: [2, 20] }] },
  { id: 'conv3d', layer: 'Conv3d', args: [i(2), i(4), t(3, 3, 1)], kwargs: { stride: i(2) }, inputs: [{ shape: [1, 2, 7, 9, 5] }] },
  { id: 'conv2d unbatched', layer: 'Conv2d', args: [i(3), i(8), i(3)], inputs: [{ shape: [3, 8, 8] }] },
  { id: 'conv2d channel mismatch', layer: 'Conv2d', args: [i(3), i(8), i(3)], inputs: [{ shape: [1, 4, 8, 8] }] },
  { id: 'conv2d groups divisibility', layer: 'Conv2d', args: [i(3), i(8), i(3)], kwargs: { groups: i(2) }, inputs: [{ shape: [1, 3, 8, 8] }] },
  { id: 'conv2d kernel larger than padded input', layer: 'Conv2d', args: [i(3), i(8), i(5)], inputs: [{ shape: [1, 3, 3, 3] }] },
  { id: "conv2d 'same' with stride", layer: 'Conv2d', args: [i(3), i(8), i(5)], kwargs: { stride: i(2), padding: str('same') }, inputs: [{ shape: [1, 3, 9, 9] }] },
  { id: 'convtranspose2d output_padding', layer: 'ConvTranspose2d', args: [i(8), i(4), i(3)], kwargs: { stride: i(2), padding: i(1), output_padding: i(1) }, inputs: [{ shape: [1, 8, 7, 7] }] },
  { id: 'convtranspose2d groups, dilation', layer: 'ConvTranspose2d', args: [i(4), i(6), i(3)], kwargs: { stride: i(3), groups: i(2), dilation: i(2) }, inputs: [{ shape: [2, 4, 5, 6] }] },
  { id: 'convtranspose1d unbatched', layer: 'ConvTranspose1d', args: [i(3), i(2), i(4)], kwargs: { stride: i(2) }, inputs: [{ shape: [3, 10] }] },
  { id: 'convtranspose3d', layer: 'ConvTranspose3d', args: [i(2), i(2), i(2)], kwargs: { stride: i(2) }, inputs: [{ shape: [1, 2, 3, 4, 5] }] },
  { id: 'convtranspose2d bad output_padding', layer: 'ConvTranspose2d', args: [i(3), i(8), i(3)], kwargs: { output_padding: i(1) }, inputs: [{ shape: [1, 3, 4, 4] }] },
  { id: 'lazyconv2d materializes in_channels', layer: 'LazyConv2d', args: [i(8), i(3)], kwargs: { padding: i(1) }, inputs: [{ shape: [1, 5, 6, 6] }] },
  { id: 'maxpool2d 3/2 pad 1 (resnet)', layer: 'MaxPool2d', args: [i(3)], kwargs: { stride: i(2), padding: i(1) }, inputs: [{ shape: [1, 64, 112, 112] }] },
  { id: 'maxpool2d ceil_mode odd', layer: 'MaxPool2d', args: [i(3)], kwargs: { stride: i(2), ceil_mode: bool(true) }, inputs: [{ shape: [1, 2, 56, 55] }] },
  { id: 'maxpool2d ceil_mode last window dropped', layer: 'MaxPool2d', args: [i(2)], kwargs: { stride: i(2), padding: i(1), ceil_mode: bool(true) }, inputs: [{ shape: [1, 1, 5, 6] }] },
  { id: 'maxpool2d dilation + return_indices', layer: 'MaxPool2d', args: [i(3)], kwargs: { stride: i(1), dilation: i(2), return_indices: bool(true) }, inputs: [{ shape: [1, 1, 9, 9] }] },
  { id: 'maxpool1d unbatched', layer: 'MaxPool1d', args: [i(2)], inputs: [{ shape: [3, 9] }] },
  { id: 'maxpool3d', layer: 'MaxPool3d', args: [i(2)], inputs: [{ shape: [1, 1, 5, 4, 7] }] },
  { id: 'avgpool2d ceil_mode count_include_pad', layer: 'AvgPool2d', args: [i(3)], kwargs: { stride: i(2), padding: i(1), ceil_mode: bool(true), count_include_pad: bool(false) }, inputs: [{ shape: [1, 3, 8, 7] }] },
  { id: 'avgpool1d', layer: 'AvgPool1d', args: [i(4)], kwargs: { stride: i(3) }, inputs: [{ shape: [2, 3, 11] }] },
  { id: 'avgpool3d', layer: 'AvgPool3d', args: [t(1, 2, 2)], inputs: [{ shape: [1, 2, 3, 6, 7] }] },
  { id: 'maxpool2d output too small', layer: 'MaxPool2d', args: [i(3)], inputs: [{ shape: [1, 64, 2, 2] }] },
  { id: 'maxpool2d pad more than half kernel', layer: 'MaxPool2d', args: [i(3)], kwargs: { padding: i(2) }, inputs: [{ shape: [1, 1, 8, 8] }] },
  { id: 'adaptiveavgpool2d (None, 3)', layer: 'AdaptiveAvgPool2d', args: [tuple([{ kind: 'none' }, int(3)])], inputs: [{ shape: [1, 2, 5, 7] }] },
  { id: 'adaptiveavgpool2d 1', layer: 'AdaptiveAvgPool2d', args: [i(1)], inputs: [{ shape: [2, 512, 7, 7] }] },
  { id: 'adaptivemaxpool1d return_indices', layer: 'AdaptiveMaxPool1d', args: [i(4)], kwargs: { return_indices: bool(true) }, inputs: [{ shape: [2, 3, 10] }] },
  { id: 'adaptiveavgpool3d', layer: 'AdaptiveAvgPool3d', args: [t(2, 3, 4)], inputs: [{ shape: [3, 5, 6, 7] }] },
  { id: 'lppool2d', layer: 'LPPool2d', args: [i(2), i(3)], kwargs: { stride: i(2), ceil_mode: bool(true) }, inputs: [{ shape: [1, 2, 8, 8] }] },
  { id: 'lppool1d', layer: 'LPPool1d', args: [i(1), i(2)], inputs: [{ shape: [1, 2, 9] }] },
];

oracleSuite('conv and pooling layers vs PyTorch 1.13', CASES);
