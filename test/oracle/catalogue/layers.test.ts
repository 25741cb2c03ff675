// Linear, norms, activations, dropout, embedding, reshaping, padding and upsampling layers against real
// PyTorch 1.13: output shapes, parameters and buffers in registration order, MACs, and PyTorch's errors.
import { NONE, bool, float, int, str, tuple } from '../../../src/core/values';
import { list } from '../../unit/torch/values';
import { type LayerCase, oracleSuite } from './harness';

const i = int;
const t = (...xs: number[]) => tuple(xs.map(int));

const CASES: LayerCase[] = [
  { id: 'linear 3d input', layer: 'Linear', args: [i(20), i(30)], inputs: [{ shape: [2, 5, 20] }] },
  { id: 'linear 1d input, no bias', layer: 'Linear', args: [i(20), i(30)], kwargs: { bias: bool(false) }, inputs: [{ shape: [20] }] },
  { id: 'linear mismatch', layer: 'Linear', args: [i(20), i(30)], inputs: [{ shape: [2, 10] }] },
  { id: 'lazylinear', layer: 'LazyLinear', args: [i(7)], inputs: [{ shape: [3, 4, 11] }] },
  { id: 'bilinear', layer: 'Bilinear', args: [i(3), i(4), i(5)], inputs: [{ shape: [6, 3] }, { shape: [6, 4] }] },
  { id: 'bilinear mismatch', layer: 'Bilinear', args: [i(3), i(4), i(5)], inputs: [{ shape: [2, 3] }, { shape: [2, 5] }] },
  { id: 'batchnorm2d', layer: 'BatchNorm2d', args: [i(8)], inputs: [{ shape: [2, 8, 5, 5] }] },
  { id: 'batchnorm2d channel mismatch', layer: 'BatchNorm2d', args: [i(64)], inputs: [{ shape: [2, 3, 4, 4] }] },
  { id: 'batchnorm2d rank', layer: 'BatchNorm2d', args: [i(64)], inputs: [{ shape: [3, 4, 4] }] },
  { id: 'batchnorm1d 3d, no affine', layer: 'BatchNorm1d', args: [i(6)], kwargs: { affine: bool(false) }, inputs: [{ shape: [2, 6, 9] }] },
  { id: 'batchnorm3d no running stats', layer: 'BatchNorm3d', args: [i(2)], kwargs: { track_running_stats: bool(false) }, inputs: [{ shape: [2, 2, 3, 3, 3] }] },
  { id: 'lazybatchnorm2d', layer: 'LazyBatchNorm2d', inputs: [{ shape: [2, 5, 3, 3] }] },
  { id: 'instancenorm2d unbatched affine', layer: 'InstanceNorm2d', args: [i(3)], kwargs: { affine: bool(true) }, inputs: [{ shape: [3, 6, 6] }] },
  { id: 'instancenorm1d rank error', layer: 'InstanceNorm2d', args: [i(64)], inputs: [{ shape: [64, 4] }] },
  { id: 'layernorm tuple', layer: 'LayerNorm', args: [t(4, 5)], inputs: [{ shape: [2, 3, 4, 5] }] },
  { id: 'layernorm mismatch', layer: 'LayerNorm', args: [i(64)], inputs: [{ shape: [2, 32] }] },
  { id: 'groupnorm', layer: 'GroupNorm', args: [i(4), i(32)], inputs: [{ shape: [2, 32, 5] }] },
  { id: 'groupnorm divisibility', layer: 'GroupNorm', args: [i(3), i(64)], inputs: [{ shape: [2, 64, 5] }] },
  { id: 'localresponsenorm', layer: 'LocalResponseNorm', args: [i(2)], inputs: [{ shape: [1, 4, 5, 5] }] },
  { id: 'prelu 3 channels', layer: 'PReLU', args: [i(3)], inputs: [{ shape: [2, 3, 5] }] },
  { id: 'prelu mismatch', layer: 'PReLU', args: [i(3)], inputs: [{ shape: [2, 4, 5] }] },
  { id: 'glu halves dim 1', layer: 'GLU', args: [i(1)], inputs: [{ shape: [2, 6, 3] }] },
  { id: 'glu odd', layer: 'GLU', args: [i(1)], inputs: [{ shape: [2, 5] }] },
  { id: 'leakyrelu', layer: 'LeakyReLU', args: [float(0.2)], kwargs: { inplace: bool(true) }, inputs: [{ shape: [2, 3] }] },
  { id: 'gelu tanh', layer: 'GELU', kwargs: { approximate: str('tanh') }, inputs: [{ shape: [4] }] },
  { id: 'hardtanh', layer: 'Hardtanh', args: [float(-2), float(2)], inputs: [{ shape: [4, 1] }] },
  { id: 'threshold', layer: 'Threshold', args: [float(0.1), float(20)], inputs: [{ shape: [3] }] },
  { id: 'softmax dim', layer: 'Softmax', kwargs: { dim: i(-1) }, inputs: [{ shape: [2, 7] }] },
  { id: 'softmax2d', layer: 'Softmax2d', inputs: [{ shape: [2, 3, 4, 4] }] },
  { id: 'softmax2d rank', layer: 'Softmax2d', inputs: [{ shape: [2, 3] }] },
  { id: 'dropout p', layer: 'Dropout', args: [float(1.5)], inputs: [{ shape: [2] }] },
  { id: 'dropout2d', layer: 'Dropout2d', args: [float(0.1)], inputs: [{ shape: [2, 3, 4, 4] }] },
  { id: 'embedding', layer: 'Embedding', args: [i(10), i(3)], kwargs: { padding_idx: i(0) }, inputs: [{ shape: [2, 5], dtype: 'int64' }] },
  { id: 'embedding float input', layer: 'Embedding', args: [i(10), i(3)], inputs: [{ shape: [2, 3] }] },
  { id: 'embedding padding_idx range', layer: 'Embedding', args: [i(10), i(3)], kwargs: { padding_idx: i(10) }, inputs: [{ shape: [2], dtype: 'int64' }] },
  { id: 'embeddingbag 2d', layer: 'EmbeddingBag', args: [i(10), i(4)], kwargs: { mode: str('sum') }, inputs: [{ shape: [3, 6], dtype: 'int64' }] },
  { id: 'embeddingbag offsets', layer: 'EmbeddingBag', args: [i(10), i(4)], inputs: [{ shape: [8], dtype: 'int64' }, { shape: [3], dtype: 'int64' }] },
  { id: 'flatten', layer: 'Flatten', inputs: [{ shape: [2, 3, 4, 5] }] },
  { id: 'flatten 0..-2', layer: 'Flatten', args: [i(0), i(-2)], inputs: [{ shape: [2, 3, 4, 5] }] },
  { id: 'unflatten', layer: 'Unflatten', args: [i(1), t(2, 6)], inputs: [{ shape: [3, 12] }] },
  { id: 'unflatten mismatch', layer: 'Unflatten', args: [i(1), t(2, 5)], inputs: [{ shape: [3, 12] }] },
  { id: 'identity', layer: 'Identity', inputs: [{ shape: [2, 3] }] },
  { id: 'pixelshuffle', layer: 'PixelShuffle', args: [i(3)], inputs: [{ shape: [1, 18, 4, 5] }] },
  { id: 'pixelshuffle divisibility', layer: 'PixelShuffle', args: [i(2)], inputs: [{ shape: [1, 5, 2, 2] }] },
  { id: 'pixelunshuffle', layer: 'PixelUnshuffle', args: [i(2)], inputs: [{ shape: [2, 3, 8, 6] }] },
  { id: 'zeropad2d tuple', layer: 'ZeroPad2d', args: [t(1, 2, 3, 4)], inputs: [{ shape: [1, 1, 5, 5] }] },
  { id: 'constantpad1d unbatched', layer: 'ConstantPad1d', args: [i(2), float(3.5)], inputs: [{ shape: [3, 4] }] },
  { id: 'constantpad3d', layer: 'ConstantPad3d', args: [t(1, 0, 2, 0, 3, 0), float(0)], inputs: [{ shape: [1, 1, 2, 2, 2] }] },
  { id: 'reflectionpad2d', layer: 'ReflectionPad2d', args: [i(2)], inputs: [{ shape: [1, 3, 4, 5] }] },
  { id: 'reflectionpad2d too large', layer: 'ReflectionPad2d', args: [i(3)], inputs: [{ shape: [1, 1, 2, 2] }] },
  { id: 'replicationpad1d', layer: 'ReplicationPad1d', args: [t(3, 1)], inputs: [{ shape: [2, 3, 4] }] },
  { id: 'replicationpad3d', layer: 'ReplicationPad3d', args: [i(1)], inputs: [{ shape: [1, 1, 2, 2, 2] }] },
  { id: 'upsample scale 1.5', layer: 'Upsample', kwargs: { scale_factor: float(1.5) }, inputs: [{ shape: [1, 1, 5, 7] }] },
  { id: 'upsample size bilinear', layer: 'Upsample', kwargs: { size: t(9, 4), mode: str('bilinear'), align_corners: bool(false) }, inputs: [{ shape: [1, 2, 5, 7] }] },
  { id: 'upsample linear on 4d', layer: 'Upsample', kwargs: { scale_factor: i(2), mode: str('linear') }, inputs: [{ shape: [1, 1, 4, 4] }] },
  { id: 'upsamplingnearest2d', layer: 'UpsamplingNearest2d', kwargs: { scale_factor: i(2) }, inputs: [{ shape: [1, 3, 5, 6] }] },
  { id: 'upsamplingbilinear2d', layer: 'UpsamplingBilinear2d', kwargs: { size: i(11) }, inputs: [{ shape: [1, 3, 5, 6] }] },
  { id: 'upsample none', layer: 'Upsample', kwargs: { size: NONE }, inputs: [{ shape: [1, 1, 4, 4] }] },
  { id: 'maxunpool2d', layer: 'MaxUnpool2d', args: [i(2)], inputs: [{ shape: [1, 2, 3, 3] }, { shape: [1, 2, 3, 3], dtype: 'int64' }] },
  { id: 'maxunpool1d stride 3 padding 1', layer: 'MaxUnpool1d', args: [i(3)], kwargs: { stride: i(3), padding: i(1) }, inputs: [{ shape: [2, 4, 5] }, { shape: [2, 4, 5], dtype: 'int64' }] },
  { id: 'maxunpool3d unbatched', layer: 'MaxUnpool3d', args: [i(2)], inputs: [{ shape: [2, 2, 2, 2] }, { shape: [2, 2, 2, 2], dtype: 'int64' }] },
  { id: 'maxunpool2d output_size', layer: 'MaxUnpool2d', args: [i(2)], inputs: [{ shape: [1, 2, 3, 3] }, { shape: [1, 2, 3, 3], dtype: 'int64' }], forwardKwargs: { output_size: t(7, 7) } },
  { id: 'fractionalmaxpool2d ratio', layer: 'FractionalMaxPool2d', args: [i(3)], kwargs: { output_ratio: float(0.5) }, inputs: [{ shape: [1, 3, 11, 11] }] },
  { id: 'fractionalmaxpool3d size indices', layer: 'FractionalMaxPool3d', args: [i(2)], kwargs: { output_size: t(3, 4, 5), return_indices: bool(true) }, inputs: [{ shape: [1, 2, 8, 9, 10] }] },
  { id: 'lazyinstancenorm2d affine', layer: 'LazyInstanceNorm2d', kwargs: { affine: bool(true) }, inputs: [{ shape: [2, 5, 4, 4] }] },
  { id: 'lazyinstancenorm1d unbatched', layer: 'LazyInstanceNorm1d', inputs: [{ shape: [3, 7] }] },
  { id: 'nllloss2d', layer: 'NLLLoss2d', inputs: [{ shape: [2, 5, 4, 4] }, { shape: [2, 4, 4], dtype: 'int64' }] },
  { id: 'tripletmarginwithdistanceloss none', layer: 'TripletMarginWithDistanceLoss', kwargs: { reduction: str('none') }, inputs: [{ shape: [4, 6] }, { shape: [4, 6] }, { shape: [4, 6] }] },
  { id: 'tripletmarginwithdistanceloss mean', layer: 'TripletMarginWithDistanceLoss', kwargs: { margin: float(0.5) }, inputs: [{ shape: [4, 6] }, { shape: [4, 6] }, { shape: [4, 6] }] },

];

/** Every parameter-free activation and dropout with its defaults, on a 4-D input. */
const DEFAULT_BUILT = [
  'ReLU', 'ReLU6', 'LeakyReLU', 'ELU', 'CELU', 'SELU', 'GELU', 'SiLU', 'Mish', 'Sigmoid', 'Tanh', 'Softplus', 'Softsign', 'Hardtanh', 'Hardswish',
  'Hardsigmoid', 'Tanhshrink', 'Softshrink', 'Hardshrink', 'LogSigmoid', 'RReLU', 'Softmin', 'LogSoftmax', 'PReLU',
  'Dropout', 'Dropout2d', 'Dropout3d', 'AlphaDropout', 'FeatureAlphaDropout', 'Identity',
];
const DEFAULT_CASES: LayerCase[] = DEFAULT_BUILT.map((layer) => ({ id: `${layer}() on [2, 3, 4, 5]`, layer, inputs: [{ shape: [2, 3, 4, 5] }] }));

const MORE_CASES: LayerCase[] = [
  { id: 'channelshuffle', layer: 'ChannelShuffle', args: [i(3)], inputs: [{ shape: [2, 6, 4, 4] }] },
  { id: 'dropout1d 2d input', layer: 'Dropout1d', inputs: [{ shape: [3, 5] }] },
  { id: 'instancenorm1d running stats', layer: 'InstanceNorm1d', args: [i(4)], kwargs: { track_running_stats: bool(true) }, inputs: [{ shape: [2, 4, 9] }] },
  { id: 'instancenorm3d affine', layer: 'InstanceNorm3d', args: [i(2)], kwargs: { affine: bool(true) }, inputs: [{ shape: [1, 2, 3, 4, 5] }] },
  { id: 'layernorm no affine', layer: 'LayerNorm', args: [list([i(5)])], kwargs: { elementwise_affine: bool(false) }, inputs: [{ shape: [2, 5] }] },
  { id: 'softmax implicit dim', layer: 'Softmax', inputs: [{ shape: [2, 3, 4] }] },
  { id: 'threshold positional', layer: 'Threshold', args: [i(0), float(-1)], kwargs: { inplace: bool(false) }, inputs: [{ shape: [3, 2] }] },
  { id: 'lazyconv1d', layer: 'LazyConv1d', args: [i(4), i(3)], kwargs: { stride: i(2) }, inputs: [{ shape: [2, 6, 11] }] },
  { id: 'lazyconvtranspose2d', layer: 'LazyConvTranspose2d', args: [i(4), i(3)], kwargs: { stride: i(2) }, inputs: [{ shape: [2, 6, 5, 5] }] },
  { id: 'lazybatchnorm1d', layer: 'LazyBatchNorm1d', inputs: [{ shape: [4, 7] }] },
  { id: 'unfold', layer: 'Unfold', args: [i(3)], kwargs: { padding: i(1), stride: i(2) }, inputs: [{ shape: [2, 3, 8, 7] }] },
  { id: 'unfold unbatched', layer: 'Unfold', args: [t(2, 3)], inputs: [{ shape: [3, 8, 8] }] },
  { id: 'fold', layer: 'Fold', args: [t(4, 5), i(2)], inputs: [{ shape: [2, 12, 12] }] },
  { id: 'fold blocks mismatch', layer: 'Fold', args: [t(4, 5), i(2)], inputs: [{ shape: [2, 12, 10] }] },
  { id: 'fold kernel divisibility', layer: 'Fold', args: [t(4, 5), i(2)], inputs: [{ shape: [2, 13, 12] }] },
  { id: 'cosinesimilarity broadcast', layer: 'CosineSimilarity', kwargs: { dim: i(-1) }, inputs: [{ shape: [4, 1, 8] }, { shape: [5, 8] }] },
  { id: 'pairwisedistance keepdim', layer: 'PairwiseDistance', kwargs: { keepdim: bool(true) }, inputs: [{ shape: [4, 8] }, { shape: [4, 8] }] },
];

oracleSuite('linear, norm, activation and reshaping layers vs PyTorch 1.13', [...CASES, ...DEFAULT_CASES, ...MORE_CASES]);
