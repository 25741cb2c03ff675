"""The same blocks imported the way scripts run from their own folder do it (absolute import)."""
import torch
import torch.nn as nn

from blocks import ConvBlock, classifier_head


class FlatImportNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.ModuleList([ConvBlock(1, 8), ConvBlock(8, 16, stride=2), ConvBlock(16, 16, stride=2)])
        self.head = classifier_head(16 * 7 * 7, 10, hidden=64)

    def forward(self, x):
        for block in self.blocks:
            x = block(x)
        return self.head(x)
