"""Pooling arithmetic on odd sizes: ceil_mode windows, padding, count_include_pad, adaptive pools."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class OddPooling(nn.Module):
    def __init__(self, channels=8):
        super().__init__()
        self.stem = nn.Conv2d(3, channels, kernel_size=3, stride=1, padding=0)
        # GoogLeNet-style pooling: ceil_mode keeps the partial window at the border.
        self.pool1 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.pool2 = nn.MaxPool2d(kernel_size=(2, 3), stride=(2, 2), padding=(1, 1), ceil_mode=True)
        self.pool3 = nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False)
        self.pool4 = nn.MaxPool2d(2, stride=2, dilation=2)
        self.pool5 = nn.AvgPool2d(kernel_size=2, stride=3, ceil_mode=True)
        self.lp = nn.LPPool2d(2, kernel_size=2, stride=1)
        self.adaptive = nn.AdaptiveAvgPool2d((3, None))
        self.fc = nn.Linear(channels * 3 * 2, 5)

    def forward(self, x):
        x = self.stem(x)
        x = self.pool1(x)
        x = self.pool2(x)
        x = self.pool3(x)
        x = self.pool4(x)
        x = self.pool5(x)
        x = self.lp(x)
        x = self.adaptive(x)
        x = F.adaptive_max_pool2d(x, (3, 2))
        return self.fc(x.view(x.size(0), -1))


class Pool1dStack(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(4, 6, kernel_size=5, stride=2)
        self.pool = nn.MaxPool1d(kernel_size=4, stride=3, padding=2, ceil_mode=True)
        self.avg = nn.AvgPool1d(3, ceil_mode=True)
        self.adaptive = nn.AdaptiveMaxPool1d(5)

    def forward(self, x):
        return self.adaptive(self.avg(self.pool(self.conv(x))))
