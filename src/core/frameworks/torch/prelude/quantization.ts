// The eager-mode quantization stubs as Python, mirroring PyTorch 1.13's torch.ao.quantization.stubs and
// torch.ao.nn.quantized.modules.functional_modules: before conversion they compute in float, and a
// FloatFunctional's operations call its activation_post_process (an Identity) as a module, which forward hooks
// record. Quantizable models (torchvision.models.quantization) are built from them.
export const QUANTIZATION_CLASSES = ['QuantStub', 'DeQuantStub', 'QuantWrapper', 'FloatFunctional', 'FXFloatFunctional'];

export const QUANTIZATION_SOURCE = String.raw`
import torch
from torch.nn import Module, Identity


class QuantStub(Module):
    def __init__(self, qconfig=None):
        super(QuantStub, self).__init__()
        if qconfig:
            self.qconfig = qconfig

    def forward(self, x):
        return x


class DeQuantStub(Module):
    def __init__(self, qconfig=None):
        super(DeQuantStub, self).__init__()
        if qconfig:
            self.qconfig = qconfig

    def forward(self, x):
        return x


class QuantWrapper(Module):
    def __init__(self, module):
        super(QuantWrapper, self).__init__()
        qconfig = module.qconfig if hasattr(module, 'qconfig') else None
        self.add_module('quant', QuantStub(qconfig))
        self.add_module('dequant', DeQuantStub(qconfig))
        self.add_module('module', module)
        self.train(module.training)

    def forward(self, X):
        X = self.quant(X)
        X = self.module(X)
        return self.dequant(X)


class FloatFunctional(Module):
    def __init__(self):
        super(FloatFunctional, self).__init__()
        self.activation_post_process = Identity()

    def forward(self, x):
        raise RuntimeError("FloatFunctional is not intended to use the 'forward'. Please use the underlying operation")

    def add(self, x, y):
        r = torch.add(x, y)
        r = self.activation_post_process(r)
        return r

    def add_scalar(self, x, y):
        r = torch.add(x, y)
        return r

    def mul(self, x, y):
        r = torch.mul(x, y)
        r = self.activation_post_process(r)
        return r

    def mul_scalar(self, x, y):
        r = torch.mul(x, y)
        return r

    def cat(self, x, dim=0):
        r = torch.cat(x, dim=dim)
        r = self.activation_post_process(r)
        return r

    def add_relu(self, x, y):
        r = torch.add(x, y)
        r = torch.nn.functional.relu(r)
        r = self.activation_post_process(r)
        return r


class FXFloatFunctional(Module):
    def forward(self, x):
        raise RuntimeError("FloatFunctional is not intended to use the 'forward'. Please use the underlying operation")

    def add(self, x, y):
        return torch.add(x, y)

    def add_scalar(self, x, y):
        return torch.add(x, y)

    def mul(self, x, y):
        return torch.mul(x, y)

    def mul_scalar(self, x, y):
        return torch.mul(x, y)

    def cat(self, x, dim=0):
        return torch.cat(x, dim=dim)

    def add_relu(self, x, y):
        return torch.nn.functional.relu(torch.add(x, y))
`;
