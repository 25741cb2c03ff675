"""A small image classifier whose every hyper-parameter lives in a dataclass config."""
from dataclasses import dataclass, field
from typing import List, Tuple

import torch
import torch.nn as nn


@dataclass
class ConvNetConfig:
    in_channels: int = 3
    widths: List[int] = field(default_factory=lambda: [32, 64, 128])
    kernel_size: int = 3
    pool_every: int = 1
    hidden: Tuple[int, ...] = (256, 128)
    num_classes: int = 10
    dropout: float = 0.25
    use_bn: bool = True

    @property
    def out_channels(self) -> int:
        return self.widths[-1]


@dataclass
class TinyConfig(ConvNetConfig):
    widths: List[int] = field(default_factory=lambda: [16, 32])
    hidden: Tuple[int, ...] = (64,)
    use_bn: bool = False


def conv_stage(cfg: ConvNetConfig, c_in: int, c_out: int) -> List[nn.Module]:
    layers: List[nn.Module] = [nn.Conv2d(c_in, c_out, cfg.kernel_size, padding=cfg.kernel_size // 2, bias=not cfg.use_bn)]
    if cfg.use_bn:
        layers.append(nn.BatchNorm2d(c_out))
    layers.append(nn.ReLU(inplace=True))
    return layers


class ConvNet(nn.Module):
    def __init__(self, cfg: ConvNetConfig = ConvNetConfig()):
        super().__init__()
        self.cfg = cfg
        layers: List[nn.Module] = []
        c_in = cfg.in_channels
        for i, width in enumerate(cfg.widths):
            layers += conv_stage(cfg, c_in, width)
            if (i + 1) % cfg.pool_every == 0:
                layers.append(nn.MaxPool2d(2))
            c_in = width
        self.features = nn.Sequential(*layers)
        self.pool = nn.AdaptiveAvgPool2d(1)

        head: List[nn.Module] = [nn.Flatten()]
        d_in = cfg.out_channels
        for d_out in cfg.hidden:
            head += [nn.Linear(d_in, d_out), nn.ReLU(), nn.Dropout(cfg.dropout)]
            d_in = d_out
        head.append(nn.Linear(d_in, cfg.num_classes))
        self.head = nn.Sequential(*head)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.pool(self.features(x)))
