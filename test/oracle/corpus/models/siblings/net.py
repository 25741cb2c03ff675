"""A model assembled from blocks defined in a sibling module (relative import)."""
import torch.nn as nn

from .blocks import ConvBlock, ResidualBlock, classifier_head
from . import blocks


class SiblingNet(nn.Module):
    def __init__(self, widths=(16, 32, 64), num_classes=10):
        super().__init__()
        stages = []
        c_in = 3
        for i, w in enumerate(widths):
            stages.append(ConvBlock(c_in, w, stride=1 if i == 0 else 2))
            stages.append(ResidualBlock(w))
            c_in = w
        self.stages = nn.Sequential(*stages)
        self.pool = nn.AdaptiveMaxPool2d((2, 2))
        self.head = blocks.classifier_head(c_in * 4, num_classes)

    def forward(self, x):
        return self.head(self.pool(self.stages(x)))
