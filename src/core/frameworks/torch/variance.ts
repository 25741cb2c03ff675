// What each functional op and tensor method does to the init-variance chain (editor/varianceChain.ts) and
// to the activation checks, by the op's short name in every form it has (`torch.relu`, `F.relu`,
// `x.relu()`, `x.relu_()`). The layers declare theirs in their own entries (`traits.variance`).
import type { ActivationName } from '../../formulas/activations';
import type { Probabilities, VarianceRole } from '../types';

const activation = (name: ActivationName): VarianceRole => ({ kind: 'activation', activation: name });
const PASS_THROUGH: VarianceRole = { kind: 'passThrough' };
const NORMALIZATION: VarianceRole = { kind: 'normalization' };
const MAX_POOLING: VarianceRole = { kind: 'pooling', commutesWithActivation: true };
const AVERAGE_POOLING: VarianceRole = { kind: 'pooling', commutesWithActivation: false };

export const OP_VARIANCE_ROLES: Readonly<Partial<Record<string, VarianceRole>>> = {
  relu: activation('relu'),
  relu6: activation('relu'),
  leaky_relu: activation('leaky_relu'),
  elu: activation('elu'),
  selu: activation('selu'),
  gelu: activation('gelu'),
  silu: activation('silu'),
  mish: activation('mish'),
  softplus: activation('softplus'),
  tanh: activation('tanh'),
  sigmoid: activation('sigmoid'),
  ...Object.fromEntries(
    ['dropout', 'view', 'reshape', 'flatten', 'unflatten', 'contiguous', 'transpose', 'permute', 'clone', 'detach', 'to', 'float', 'squeeze', 'unsqueeze'].map((name) => [name, PASS_THROUGH]),
  ),
  ...Object.fromEntries(['layer_norm', 'batch_norm', 'group_norm', 'instance_norm', 'normalize'].map((name) => [name, NORMALIZATION])),
  ...Object.fromEntries(['max_pool1d', 'max_pool2d', 'max_pool3d', 'adaptive_max_pool1d', 'adaptive_max_pool2d', 'adaptive_max_pool3d'].map((name) => [name, MAX_POOLING])),
  ...Object.fromEntries(['avg_pool1d', 'avg_pool2d', 'avg_pool3d', 'adaptive_avg_pool1d', 'adaptive_avg_pool2d', 'adaptive_avg_pool3d'].map((name) => [name, AVERAGE_POOLING])),
};

export const OP_PROBABILITIES: Readonly<Partial<Record<string, Probabilities>>> = { softmax: 'softmax', log_softmax: 'log_softmax' };

