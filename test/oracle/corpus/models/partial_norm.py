"""An EfficientNet-flavoured stem and stages whose norm layer is a functools.partial, as many zoos do."""
from functools import partial
from typing import Callable, Optional

import torch
from torch import nn

BatchNorm = partial(nn.BatchNorm2d, momentum=0.01, eps=1e-3)


class ConvNormAct(nn.Sequential):
    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int = 3,
        stride: int = 1,
        groups: int = 1,
        norm_layer: Optional[Callable[..., nn.Module]] = None,
        activation_layer: Optional[Callable[..., nn.Module]] = nn.SiLU,
    ) -> None:
        padding = (kernel_size - 1) // 2
        if norm_layer is None:
            norm_layer = BatchNorm
        layers = [nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding, groups=groups, bias=False),
                  norm_layer(out_channels)]
        if activation_layer is not None:
            layers.append(activation_layer(inplace=True))
        super().__init__(*layers)
        self.out_channels = out_channels


class SqueezeExcite(nn.Module):
    def __init__(self, channels: int, squeeze: int, activation=nn.SiLU, gate=nn.Sigmoid):
        super().__init__()
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Conv2d(channels, squeeze, 1)
        self.fc2 = nn.Conv2d(squeeze, channels, 1)
        self.act = activation()
        self.gate = gate()

    def forward(self, x):
        scale = self.gate(self.fc2(self.act(self.fc1(self.avgpool(x)))))
        return x * scale


class MBConv(nn.Module):
    def __init__(self, c_in, c_out, expand, stride, kernel=3, norm_layer=BatchNorm):
        super().__init__()
        hidden = c_in * expand
        self.use_res = stride == 1 and c_in == c_out
        layers = []
        if expand != 1:
            layers.append(ConvNormAct(c_in, hidden, 1, norm_layer=norm_layer))
        layers.append(ConvNormAct(hidden, hidden, kernel, stride, groups=hidden, norm_layer=norm_layer))
        layers.append(SqueezeExcite(hidden, max(1, c_in // 4)))
        layers.append(ConvNormAct(hidden, c_out, 1, norm_layer=norm_layer, activation_layer=None))
        self.block = nn.Sequential(*layers)

    def forward(self, x):
        out = self.block(x)
        if self.use_res:
            out = out + x
        return out


class TinyEfficientNet(nn.Module):
    def __init__(self, num_classes=100, norm_layer=partial(nn.BatchNorm2d, momentum=0.01)):
        super().__init__()
        # (expand, channels, repeats, stride, kernel)
        settings = [(1, 16, 1, 1, 3), (6, 24, 2, 2, 3), (6, 40, 2, 2, 5), (6, 80, 1, 2, 3)]
        layers = [ConvNormAct(3, 32, stride=2, norm_layer=norm_layer)]
        c_in = 32
        for expand, c_out, repeats, stride, kernel in settings:
            for i in range(repeats):
                layers.append(MBConv(c_in, c_out, expand, stride if i == 0 else 1, kernel, norm_layer))
                c_in = c_out
        layers.append(ConvNormAct(c_in, 320, 1, norm_layer=norm_layer))
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(nn.Dropout(p=0.2, inplace=True), nn.Linear(320, num_classes))

    def forward(self, x):
        x = self.features(x)
        x = self.avgpool(x)
        x = torch.flatten(x, 1)
        return self.classifier(x)
