// Public names of PyTorch 2.6 (torch-2x-names.json) the analysis deliberately does not model, each with
// the reason. coverage.test.ts fails on a name that is neither modelled nor listed here, and on a listed
// name that has become modelled (so the list stays true).

export const REASONS = {
  storage: 'storage objects and raw memory (data pointers, storages, file/buffer-backed tensors): memory, not shapes',
  devices: 'devices other than the CPU the analysis assumes, and their streams and events',
  randomState: 'random-number generator state: values, not shapes',
  trainingLoop: 'training-loop machinery with no tensor shape (mixed-precision loss scaling)',
  symbolic: 'torch.fx / dynamo symbolic-shape internals (SymInt and sym_* helpers), not user model code',
  quantized: 'quantized tensors and fake quantization are not modelled',
  sparse: 'sparse, MKL-DNN and nested layouts are not modelled (dense strided tensors only)',
  named: 'named tensors (a prototype feature) are not modelled',
  dataDependent: "the result's size or value depends on tensor contents, which the analysis does not track",
  io: 'file I/O and model export',
  transforms: 'function transforms and control-flow operators over user callables (vmap, cond) are not followed',
  layout: 'strides, storage offsets and in-place metadata changes are not tracked (tensors are immutable values in the analysis)',
  settingsQueries: 'process settings whose values the analysis cannot know (thread counts, precision and debug modes)',
  defaultTensorType: 'changes the default tensor type for the rest of the process; not followed',
  autograd: 'autograd graph state and Python callbacks on tensors: no shape effect, values unknown',
  removed: 'removed from PyTorch 2.x (calling it raises and points to torch.linalg)',
  rareLinalg: 'not modelled yet: LAPACK factor internals (geqrf/orgqr/ormqr, LU) and iterative or randomized solvers, rare in model code',
  notModelledYet: 'not modelled yet (rare in model code); unknown with a reason when used',
  dtypes: 'complex32 and int16 are not among the dtypes the analysis models',
  subscript: "served by the interpreter's subscript rules (indexing and item assignment), not a catalogue entry",
  construction: 'construction goes through torch.Tensor(...), the legacy constructor entry',
  internals: 'a module, base class or helper of torch.nn itself, not a layer user code calls',
  wrappers: 'multi-device wrappers (DataParallel) and lazy-parameter placeholders',
} as const;

export type Reason = keyof typeof REASONS;

const group = (reason: Reason, names: string): Array<readonly [string, Reason]> => names.trim().split(/\s+/).map((n) => [n, reason] as const);

/** Qualified name ('torch.save', 'torch.nn.DataParallel', 'torch.Tensor.stride') → reason. */
export const EXCLUSIONS: ReadonlyMap<string, Reason> = new Map([
  ...group('storage', `
    torch.BoolStorage torch.ByteStorage torch.CharStorage torch.DoubleStorage torch.FloatStorage torch.IntStorage torch.LongStorage
    torch.ShortStorage torch.TypedStorage torch.UntypedStorage torch.from_file torch.frombuffer torch.is_storage
    torch.Tensor.storage torch.Tensor.untyped_storage torch.Tensor.storage_type torch.Tensor.data_ptr torch.Tensor.set_
    torch.Tensor.is_set_to torch.Tensor.is_shared torch.Tensor.record_stream`),
  ...group('devices', `
    torch.Event torch.Stream torch.get_device_module torch.Tensor.ipu torch.Tensor.xpu torch.Tensor.mtia torch.Tensor.is_ipu
    torch.Tensor.is_xla torch.Tensor.is_xpu torch.Tensor.is_mps torch.Tensor.is_meta torch.Tensor.is_pinned`),
  ...group('randomState', 'torch.Generator torch.get_rng_state torch.initial_seed'),
  ...group('trainingLoop', 'torch.GradScaler'),
  ...group('symbolic', `
    torch.SymBool torch.SymFloat torch.SymInt torch.sym_float torch.sym_fresh_size torch.sym_int torch.sym_ite torch.sym_max
    torch.sym_min torch.sym_not torch.sym_sqrt torch.sym_sum`),
  ...group('quantized', `
    torch.dequantize torch.fake_quantize_per_channel_affine torch.fake_quantize_per_tensor_affine torch.quantize_per_channel
    torch.quantize_per_tensor torch.quantize_per_tensor_dynamic torch.quantized_batch_norm torch.quantized_max_pool1d
    torch.quantized_max_pool2d torch.Tensor.dequantize torch.Tensor.int_repr torch.Tensor.is_quantized torch.Tensor.q_per_channel_axis
    torch.Tensor.q_per_channel_scales torch.Tensor.q_per_channel_zero_points torch.Tensor.q_scale torch.Tensor.q_zero_point torch.Tensor.qscheme`),
  ...group('sparse', `
    torch.sparse_bsc_tensor torch.sparse_bsr_tensor torch.sparse_compressed_tensor torch.sparse_coo_tensor torch.sparse_csc_tensor
    torch.sparse_csr_tensor torch.hspmm torch.smm torch.sspaddmm torch.col_indices_copy torch.crow_indices_copy torch.indices_copy
    torch.values_copy torch.Tensor.to_sparse torch.Tensor.to_sparse_bsc torch.Tensor.to_sparse_bsr torch.Tensor.to_sparse_coo
    torch.Tensor.to_sparse_csc torch.Tensor.to_sparse_csr torch.Tensor.to_dense torch.Tensor.to_mkldnn torch.Tensor.to_padded_tensor
    torch.Tensor.sparse_dim torch.Tensor.dense_dim torch.Tensor.indices torch.Tensor.values torch.Tensor.col_indices
    torch.Tensor.crow_indices torch.Tensor.is_sparse torch.Tensor.is_sparse_csr torch.Tensor.is_coalesced torch.Tensor.sparse_mask
    torch.Tensor.sparse_resize_ torch.Tensor.sparse_resize_and_clear_ torch.Tensor.smm torch.Tensor.sspaddmm`),
  ...group('named', `
    torch.align_tensors torch.Tensor.align_as torch.Tensor.align_to torch.Tensor.names torch.Tensor.rename torch.Tensor.rename_
    torch.Tensor.refine_names torch.Tensor.has_names`),
  ...group('dataDependent', `
    torch.allclose torch.equal torch.argwhere torch.bincount torch.masked_select torch.nonzero torch.unique torch.unique_consecutive
    torch.is_nonzero torch.Tensor.allclose torch.Tensor.equal torch.Tensor.argwhere torch.Tensor.bincount torch.Tensor.masked_select
    torch.Tensor.nonzero torch.Tensor.nonzero_static torch.Tensor.unique torch.Tensor.unique_consecutive torch.Tensor.__bool__
    torch.Tensor.__nonzero__ torch.Tensor.__float__ torch.Tensor.__int__ torch.Tensor.__long__ torch.Tensor.__index__
    torch.Tensor.__complex__ torch.Tensor.__contains__`),
  ...group('io', 'torch.save torch.load torch.export'),
  ...group('transforms', 'torch.vmap torch.cond'),
  ...group('layout', `
    torch.as_strided torch.as_strided_copy torch.empty_permuted torch.Tensor.as_strided torch.Tensor.as_strided_ torch.Tensor.stride
    torch.Tensor.storage_offset torch.Tensor.is_contiguous torch.Tensor.dim_order torch.Tensor.resize torch.Tensor.resize_
    torch.Tensor.resize_as torch.Tensor.resize_as_ torch.Tensor.t_ torch.Tensor.transpose_ torch.Tensor.squeeze_
    torch.Tensor.unsqueeze_ torch.Tensor.swapaxes_ torch.Tensor.swapdims_`),
  ...group('settingsQueries', `
    torch.get_num_threads torch.get_num_interop_threads torch.get_float32_matmul_precision torch.get_deterministic_debug_mode
    torch.is_deterministic_algorithms_warn_only_enabled`),
  ...group('defaultTensorType', 'torch.set_default_tensor_type'),
  ...group('autograd', `
    torch.is_inference torch.Tensor.is_inference torch.Tensor.register_hook torch.Tensor.register_post_accumulate_grad_hook
    torch.Tensor.retains_grad torch.Tensor.is_leaf torch.Tensor.reinforce torch.Tensor.module_load torch.Tensor.apply_
    torch.Tensor.map_ torch.Tensor.as_subclass`),
  ...group('removed', 'torch.Tensor.eig torch.Tensor.lstsq torch.Tensor.solve torch.Tensor.symeig'),
  ...group('rareLinalg', `
    torch.geqrf torch.orgqr torch.ormqr torch.lobpcg torch.lu torch.lu_solve torch.lu_unpack torch.pca_lowrank torch.svd_lowrank
    torch.Tensor.geqrf torch.Tensor.orgqr torch.Tensor.ormqr torch.Tensor.lu torch.Tensor.lu_solve`),
  ...group('notModelledYet', 'torch.gradient torch.histogramdd torch.typename torch.nn.AdaptiveLogSoftmaxWithLoss torch.nn.CrossMapLRN2d torch.nn.Buffer'),
  ...group('dtypes', 'torch.Tensor.chalf torch.Tensor.short'),
  ...group('subscript', 'torch.Tensor.__getitem__ torch.Tensor.__setitem__'),
  ...group('construction', 'torch.Tensor.__init__ torch.Tensor.__new__'),
  ...group('internals', `
    torch.nn.Container torch.nn.RNNBase torch.nn.RNNCellBase torch.nn.attention torch.nn.factory_kwargs
    torch.nn.functional.assert_int_or_pair`),
  ...group('wrappers', 'torch.nn.UninitializedBuffer torch.nn.UninitializedParameter'),
]);
