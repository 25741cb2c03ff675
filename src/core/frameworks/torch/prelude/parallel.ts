// nn.parallel's wrappers as Python: DistributedDataParallel and DataParallel hold the model as `module` and
// forward to it, so its parameters, modes and calls stay those of the wrapped model.
export const PARALLEL_CLASSES = ['DistributedDataParallel', 'DataParallel'];

export const PARALLEL_SOURCE = String.raw`
from torch.nn import Module


class DistributedDataParallel(Module):
    def __init__(self, module, device_ids=None, output_device=None, dim=0, broadcast_buffers=True, process_group=None,
                 bucket_cap_mb=25, find_unused_parameters=False, check_reduction=False, gradient_as_bucket_view=False,
                 static_graph=False):
        super().__init__()
        self.module = module

    def forward(self, *inputs, **kwargs):
        return self.module(*inputs, **kwargs)

    def no_sync(self):
        return None


class DataParallel(Module):
    def __init__(self, module, device_ids=None, output_device=None, dim=0):
        super().__init__()
        self.module = module

    def forward(self, *inputs, **kwargs):
        return self.module(*inputs, **kwargs)
`;
